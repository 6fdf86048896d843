using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Alerts.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>
/// The alert ledger behaves the same on real SQLite and real PostgreSQL: the same tests run against both
/// (<see cref="SqliteAlertLedgerTests"/>, <see cref="PostgresAlertLedgerTests"/>).
/// </summary>
public abstract class AlertLedgerTests
{
    private static readonly AlertSubject s_gauge = new() { Id = "dn-camle-wl", Province = "danang", Name = "Cẩm Lệ (Hàn)", Lat = 16.016, Lon = 108.207 };

    /// <summary>A fresh, empty database; every call for the same test returns a database over the same data.</summary>
    private protected abstract Task<Func<StateDatabase>> NewDatabaseAsync();

    [Fact]
    public async Task Schema_CreatedTwiceAndByTwoStoresAtOnce_KeepsData()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        using (var store = new AlertStore(open(), ownsDatabase: true))
        {
            (await Service(store).ApplyAsync(s_gauge, Raise(AlertSeverity.Severe, 2.7), TestContext.Current.CancellationToken)).Should().NotBeNull();
        }

        // Two processes starting together both run the idempotent schema step.
        AlertStore[] again = await Task.WhenAll(Task.Run(() => new AlertStore(open(), ownsDatabase: true)), Task.Run(() => new AlertStore(open(), ownsDatabase: true)));
        try
        {
            IReadOnlyList<AlertRecord> alerts = await Service(again[0]).ListAsync(new AlertQuery(ActiveOnly: false), TestContext.Current.CancellationToken);
            alerts.Should().ContainSingle().Which.Level.Should().Be("III");
            again[1].CountOutbox(AlertStore.Pending).Should().Be(2, "mqtt and influx messages of version 1");
        }
        finally
        {
            foreach (AlertStore store in again)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task ApplyAsync_TwoSilosRaiseTheSameSubjectAtOnce_OneOpenAlert()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        using var storeA = new AlertStore(open(), ownsDatabase: true);
        using var storeB = new AlertStore(open(), ownsDatabase: true);
        AlertService a = Service(storeA);
        AlertService b = Service(storeB);

        await Task.WhenAll(
            Task.Run(async () => await a.ApplyAsync(s_gauge, Raise(AlertSeverity.Minor, 1.2), TestContext.Current.CancellationToken)),
            Task.Run(async () => await b.ApplyAsync(s_gauge, Raise(AlertSeverity.Minor, 1.3), TestContext.Current.CancellationToken)));
        await WaitAsync(() => a.Health().Ok && b.Health().Ok);

        IReadOnlyList<AlertRecord> alerts = await a.ListAsync(new AlertQuery(ActiveOnly: false), TestContext.Current.CancellationToken);
        alerts.Should().ContainSingle("the partial unique index admits one open alert per subject and rule").Which.Version.Should().Be(1);
    }

    [Fact]
    public async Task AcknowledgeAsync_OnTwoSilosAtOnce_EachAppliesOnceOnTheLatestVersion()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        using var storeA = new AlertStore(open(), ownsDatabase: true);
        using var storeB = new AlertStore(open(), ownsDatabase: true);
        AlertService a = Service(storeA);
        AlertService b = Service(storeB);
        AlertRecord raised = (await a.ApplyAsync(s_gauge, Raise(AlertSeverity.Severe, 2.7), TestContext.Current.CancellationToken))!;

        AlertCommandResult[] results = await Task.WhenAll(
            Task.Run(async () => await a.AcknowledgeAsync(raised.Id, "officer.lan", "A", TestContext.Current.CancellationToken)),
            Task.Run(async () => await b.AcknowledgeAsync(raised.Id, "officer.minh", "B", TestContext.Current.CancellationToken)));

        results.Should().OnlyContain(r => r.Status == AlertCommandStatus.Ok);
        results.Select(r => r.Alert!.Version).Should().BeEquivalentTo([2, 3], "row locks serialise the two commands; neither overwrites the other");
        IReadOnlyList<AlertEvent> history = await b.HistoryAsync(raised.Id, TestContext.Current.CancellationToken);
        history.Select(h => h.Version).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Claim_TwoWorkers_NeverTakeTheSameHeadAndAnExpiredLeaseIsTakenOver()
    {
        Func<StateDatabase> open = await NewDatabaseAsync();
        using var store = new AlertStore(open(), ownsDatabase: true);
        AlertService service = Service(store);
        await service.ApplyAsync(s_gauge, Raise(AlertSeverity.Minor, 1.2), TestContext.Current.CancellationToken);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        List<OutboxMessage>[] claims = await Task.WhenAll(
            Task.Run(() => store.Claim(AlertService.MqttChannel, now, 10, "a", now.AddSeconds(30))),
            Task.Run(() => store.Claim(AlertService.MqttChannel, now, 10, "b", now.AddSeconds(30))));
        claims.Sum(c => c.Count).Should().Be(1, "one head, one claim");

        store.Claim(AlertService.MqttChannel, now.AddSeconds(29), 10, "c", now.AddSeconds(60)).Should().BeEmpty("the lease still holds");
        store.Claim(AlertService.MqttChannel, now.AddSeconds(31), 10, "c", now.AddSeconds(60)).Should().ContainSingle("the lease ran out");
    }

    private static RuleTransition Raise(AlertSeverity severity, double value)
    {
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext(s_gauge.Id, DefaultRules.WaterLevel, null, new AlarmLevels(1.0, 2.0, 2.5)))
            .Single(r => r.Id == "water-level");
        DateTimeOffset at = DateTimeOffset.UtcNow;
        return new RuleTransition(rule, TransitionKind.Raise, severity, AlertSeverity.None, rule.ThresholdFor(severity), value, at, at);
    }

    private static AlertService Service(AlertStore store) =>
        new(store, new AlertStreamHub(), new OutboxSignal(), Microsoft.Extensions.Options.Options.Create(new AlertsOptions()), TimeProvider.System, NullLogger<AlertService>.Instance);

    private static async Task WaitAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

[Trait("Category", "Integration")]
public sealed class SqliteAlertLedgerTests : AlertLedgerTests, IDisposable
{
    private readonly TempDirectory _dir = new("ledger");

    public void Dispose() => _dir.Dispose();

    private protected override Task<Func<StateDatabase>> NewDatabaseAsync()
    {
        string path = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".db");
        return Task.FromResult<Func<StateDatabase>>(() => new SqliteStateDatabase(path));
    }
}

[Trait("Category", "Integration")]
public sealed class PostgresAlertLedgerTests(PostgresClassFixture postgres) : AlertLedgerTests, IClassFixture<PostgresClassFixture>
{
    private protected override async Task<Func<StateDatabase>> NewDatabaseAsync()
    {
        string connectionString = await postgres.NewDatabaseAsync();
        return () => new PostgresStateDatabase(connectionString);
    }
}
