using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Alerts.Lifecycle;
using Resilience.IntegrationTests.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>
/// Issue 9, dispatch across silos: two alert hosts (two silos' outbox workers) over one real PostgreSQL ledger.
/// The host that raised an alert is stopped in the middle of delivering it; the survivor delivers every version
/// at least once, in order, with its idempotency key.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OutboxLeaseTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private const string Secret = "lease-secret-for-tests";

    [Fact]
    public async Task Webhook_HostStoppedMidDelivery_SurvivorDeliversEveryVersionInOrder()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        using var dataA = new TempDirectory("lease-a");
        using var dataB = new TempDirectory("lease-b");
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        int calls = 0;
        await using var receiver = new WebhookReceiver(FreePort.Next(), Secret, _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstArrived.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(20)); // host A is stopped while this request is in flight
            }

            return 200;
        });
        await receiver.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Resilience:Storage:Provider"] = "postgres",
            ["Resilience:Storage:ConnectionString"] = connectionString,
            ["Resilience:Alerts:Webhooks:0:Url"] = receiver.Url,
            ["Resilience:Alerts:Webhooks:0:Secret"] = Secret,
            ["Resilience:Alerts:Mqtt"] = "false",
            ["Resilience:Alerts:Influx"] = "false",
            ["Resilience:Alerts:Dispatch:RequestTimeout"] = "00:00:01.500",
            ["Resilience:Alerts:Dispatch:LeaseDuration"] = "00:00:02",
            ["Resilience:Alerts:Dispatch:AcknowledgeTimeout"] = "03:00:00",
        };
        var gauge = new AlertSubject { Id = "g-lease", Province = "danang", Name = "g-lease", Lat = 16.0, Lon = 108.2 };

        AlertsHost hostA = await AlertsHost.StartAsync(dataA.Path, config);
        AlertsHost? hostB = null;
        try
        {
            // Silo A raises the alert and escalates it twice: three versions in the shared outbox.
            await hostA.FeedLevelsAsync(gauge, DateTimeOffset.UtcNow.AddMinutes(-10), [], 1.1, 1.2, 2.1, 2.2, 2.6, 2.7);
            await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            // Silo A dies mid-delivery (its claim on version 1 stays behind); silo B starts on the same ledger.
            await hostA.DisposeAsync();
            release.Set();
            var sw = Stopwatch.StartNew();
            hostB = await AlertsHost.StartAsync(dataB.Path, config);
            AlertStore storeB = hostB.Services.GetRequiredService<AlertStore>();
            await AlertDispatchTests.WaitUntilAsync(() => storeB.CountOutbox(AlertStore.Pending) == 0, TimeSpan.FromSeconds(60));

            ReceivedWebhook[] received = [.. receiver.Received];
            received.Should().OnlyContain(r => r.SignatureValid);
            received.Select(r => r.Key).Distinct().Should().Equal(["alert-1-v1", "alert-1-v2", "alert-1-v3"], "every version arrives, first appearances in order");
            int lastV1 = Array.FindLastIndex(received, r => r.Version == 1);
            int firstV2 = Array.FindIndex(received, r => r.Version == 2);
            lastV1.Should().BeLessThan(firstV2, "version 2 is sent only after version 1 was delivered");
            received.Count(r => r.Version == 1).Should().BeGreaterThanOrEqualTo(2, "silo A's attempt was cut off and silo B delivered it again");
            storeB.CountOutbox(AlertStore.Delivered).Should().Be(3);
        }
        finally
        {
            release.Set();
            if (hostB is not null)
            {
                await hostB.DisposeAsync();
            }
        }
    }
}
