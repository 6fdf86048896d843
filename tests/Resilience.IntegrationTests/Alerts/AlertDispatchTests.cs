using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>At-least-once webhook delivery across a receiver outage and a restart of the alerts host.</summary>
[Trait("Category", "Integration")]
public sealed class AlertDispatchTests
{
    private const string Secret = "s3cret-for-tests";

    private static AlertSubject Gauge(string id) => new() { Id = id, Province = "danang", Name = id, Lat = 16.0, Lon = 108.2 };

    [Fact]
    public async Task Webhook_ReceiverDown60sWithHostRestart_DeliversEveryVersionInOrderPerAlert()
    {
        using var data = new TempDirectory("alerts-outage");
        await using var receiver = new WebhookReceiver(FreePort.Next(), Secret);
        var config = new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Webhooks:0:Url"] = receiver.Url,
            ["Resilience:Alerts:Webhooks:0:Secret"] = Secret,
            ["Resilience:Alerts:Dispatch:AcknowledgeTimeout"] = "03:00:00", // no escalation notice in this test
        };
        var outage = Stopwatch.StartNew(); // the receiver is down from now
        var states = new Dictionary<string, RuleState[]>();
        DateTimeOffset t = TimeProvider.System.GetUtcNow().AddHours(-1); // readings from the last hour

        // Host 1: three gauges rise through I, II, III; one alert is acknowledged over HTTP.
        await using (AlertsHost host1 = await AlertsHost.StartAsync(data.Path, config))
        {
            foreach (string id in new[] { "g1", "g2", "g3" })
            {
                t = await host1.FeedLevelsAsync(Gauge(id), t, states, 1.1, 1.2, 2.1, 2.2, 2.6, 2.7);
            }

            using HttpClient http = host1.CreateOperatorClient();
            AlertRecord g1 = (await host1.Alerts.OpenAlertsAsync("g1", TestContext.Current.CancellationToken)).Single();
            using HttpResponseMessage ack = await http.PostAsJsonAsync($"/api/alerts/{g1.Id}/ack", new { by = "officer.minh", note = "on it" }, TestContext.Current.CancellationToken);
            ack.EnsureSuccessStatusCode();

            await WaitUntilAsync(() => host1.Services.GetRequiredService<AlertStore>().CountOutbox(AlertStore.Pending) == 10 && AttemptsMade(host1), TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken); // a few more failed attempts
        }

        // Host 2, same data directory (restart mid-outage): the gauges fall back; a fourth gauge raises.
        var mqtt = new RecordingMqttPublisher();
        states.Clear(); // grain state is rebuilt from the open alerts, as after a real restart
        await using AlertsHost host2 = await AlertsHost.StartAsync(data.Path, config, s => s.AddSingleton<IAlertMqttPublisher>(mqtt));
        foreach (string id in new[] { "g1", "g2", "g3" })
        {
            t = await host2.FeedLevelsAsync(Gauge(id), t, states, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5);
        }

        t = await host2.FeedLevelsAsync(Gauge("g4"), t, states, 2.2, 2.3);
        IReadOnlyList<AlertRecord> alerts = await host2.Alerts.ListAsync(new AlertQuery(ActiveOnly: false), TestContext.Current.CancellationToken);
        alerts.Should().HaveCount(4, "restored alerts were updated, not duplicated");
        var expected = alerts.SelectMany(a => Enumerable.Range(1, a.Version).Select(v => $"alert-{a.Id}-v{v}")).ToHashSet();
        expected.Should().HaveCount(6 + 5 + 5 + 1, "g1: raise, II, III, ack, I, resolve; g2/g3: the same without the ack; g4: raise");
        receiver.Received.Should().BeEmpty();

        TimeSpan remaining = TimeSpan.FromSeconds(60) - outage.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, TestContext.Current.CancellationToken); // the outage itself is what this test is about
        }

        await receiver.StartAsync();
        await WaitUntilAsync(() => receiver.Received.Select(r => r.Key).ToHashSet().IsSupersetOf(expected), TimeSpan.FromSeconds(60));

        List<ReceivedWebhook> received = [.. receiver.Received];
        received.Select(r => r.Key).ToHashSet().Should().BeEquivalentTo(expected);
        received.Should().OnlyContain(r => r.SignatureValid && r.Type == "alert");
        foreach (IGrouping<string, ReceivedWebhook> duplicates in received.GroupBy(r => r.Key))
        {
            duplicates.Select(d => d.Body).Distinct().Should().ContainSingle("a duplicate carries the same idempotency key and body");
        }

        foreach (IGrouping<long, ReceivedWebhook> perAlert in received.GroupBy(r => r.AlertId))
        {
            List<int> firstSeen = perAlert.Select(r => r.Version).Distinct().ToList();
            firstSeen.Should().BeInAscendingOrder($"alert {perAlert.Key} versions arrive in order");
            firstSeen.Should().Equal(Enumerable.Range(1, firstSeen.Count));
        }

        await WaitUntilAsync(() => host2.Services.GetRequiredService<AlertStore>().CountOutbox(AlertStore.Pending) == 0, TimeSpan.FromSeconds(30));
        host2.Services.GetRequiredService<AlertStore>().CountOutbox(AlertStore.Dead).Should().Be(0);
        mqtt.Published.Should().NotBeEmpty();
        mqtt.Published.Should().OnlyContain(p => p.Retain && p.Topic.StartsWith("alerts/danang/g", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_ReceiverRejectsOneVersion_DeadLettersItAndDeliversTheNextInOrder()
    {
        using var data = new TempDirectory("alerts-dead");
        int calls = 0;
        // 400 for version 1 (permanent), 503 twice for version 2 (retried), then 200.
        await using var receiver = new WebhookReceiver(FreePort.Next(), Secret, w => w.Version == 1 ? 400 : Interlocked.Increment(ref calls) <= 2 ? 503 : 200);
        await receiver.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Webhooks:0:Url"] = receiver.Url,
            ["Resilience:Alerts:Webhooks:0:Secret"] = Secret,
        };
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path, config);
        var states = new Dictionary<string, RuleState[]>();
        await host.FeedLevelsAsync(Gauge("g1"), TimeProvider.System.GetUtcNow().AddMinutes(-10), states, 1.1, 1.2, 2.1, 2.2);
        AlertStore store = host.Services.GetRequiredService<AlertStore>();

        await WaitUntilAsync(() => receiver.Received.Count(r => r.Version == 2) >= 3 && store.CountOutbox(AlertStore.Pending) == 0, TimeSpan.FromSeconds(30));

        receiver.Received.Select(r => r.Version).Should().Equal(1, 2, 2, 2);
        receiver.Received.Should().OnlyContain(r => r.SignatureValid);
        store.CountOutbox(AlertStore.Dead).Should().Be(1);
    }

    private static bool AttemptsMade(AlertsHost host)
    {
        using System.Data.Common.DbConnection connection = host.Services.GetRequiredService<AlertStore>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE channel LIKE 'webhook:%' AND attempts >= 2";
        return Convert.ToInt64(command.ExecuteScalar()) >= 1;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
