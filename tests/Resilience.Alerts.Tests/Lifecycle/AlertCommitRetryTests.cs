using System.Diagnostics;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Alerts.Tests.Storage;

namespace Resilience.Alerts.Tests.Lifecycle;

/// <summary>
/// Issue 9: a "database or disk is full" error made a level III alert disappear for good. A failed commit is now
/// queued per subject and retried in order, and health reports the fault while it lasts.
/// </summary>
public sealed class AlertCommitRetryTests
{
    private static readonly AlertSubject s_gauge = new() { Id = "dn-camle-wl", Province = "danang", Name = "Cẩm Lệ (Hàn)", Lat = 16.016, Lon = 108.207 };
    private static readonly AlertSubject s_other = new() { Id = "dn-hoakhanh-wl", Province = "danang", Name = "Hòa Khánh", Lat = 16.07, Lon = 108.15 };

    private static AlertRule LevelRule() =>
        new AlertRuleCatalog([]).For(new SensorRuleContext("dn-camle-wl", DefaultRules.WaterLevel, null, new AlarmLevels(1.0, 2.0, 2.5)))
            .Single(r => r.Id == "water-level");

    private static RuleTransition Transition(AlertRule rule, TransitionKind kind, AlertSeverity severity, double value, DateTimeOffset at) =>
        new(rule, kind, severity, AlertSeverity.None, rule.ThresholdFor(severity), value, at, at);

    [Fact]
    public async Task ApplyAsync_DiskFullThenSpaceBack_CommitsQueuedTransitionsInOrderAndReportsTheFaultMeanwhile()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var database = new FaultyStateDatabase();
        using var context = new AlertsTestContext(database: database);
        AlertRule rule = LevelRule();
        DateTimeOffset t0 = context.Time.GetUtcNow();
        context.Service.Health().Ok.Should().BeTrue();

        database.Failing = true;
        AlertRecord? first = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.2, t0), ct);
        AlertRecord? second = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Escalate, AlertSeverity.Severe, 2.7, t0.AddMinutes(5)), ct);

        first.Should().BeNull("nothing was committed");
        second.Should().BeNull();
        AlertStoreHealth during = context.Service.Health();
        during.Ok.Should().BeFalse();
        during.PendingCommits.Should().Be(2);
        during.Reason.Should().Contain("full");

        // Retries keep failing while the disk is full: still queued, still degraded.
        await AdvanceUntilAsync(context, () => database.FailedOpens >= 4);
        context.Service.Health().PendingCommits.Should().Be(2);

        database.Failing = false;
        await AdvanceUntilAsync(context, () => context.Service.Health().Ok);

        IReadOnlyList<AlertRecord> alerts = await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), ct);
        AlertRecord alert = alerts.Should().ContainSingle().Subject;
        alert.Severity.Should().Be(AlertSeverity.Severe);
        alert.Level.Should().Be("III");
        alert.RaisedAt.Should().Be(t0, "the alert keeps the reading's time, not the commit's");
        (await context.Service.HistoryAsync(alert.Id, ct)).Select(e => e.Action).Should().Equal("raised", "escalated");
        context.Service.Health().Reason.Should().BeNull();
    }

    [Fact]
    public async Task ApplyAsync_WhileASubjectIsQueued_LaterTransitionsOfItQueueBehindAndOtherSubjectsCommitAtOnce()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var database = new FaultyStateDatabase();
        using var context = new AlertsTestContext(database: database);
        AlertRule rule = LevelRule();
        DateTimeOffset t0 = context.Time.GetUtcNow();

        database.Failing = true;
        (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Severe, 2.7, t0), ct)).Should().BeNull();
        database.Failing = false;

        // The store works again, but the gauge's clear must not overtake its queued raise.
        (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Clear, AlertSeverity.None, 0.5, t0.AddMinutes(30)), ct)).Should().BeNull();
        AlertRecord? other = await context.Service.ApplyAsync(s_other, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.1, t0), ct);
        other.Should().NotBeNull("another subject is not held up by the gauge's queue");

        await AdvanceUntilAsync(context, () => context.Service.Health().Ok);
        AlertRecord gauge = (await context.Service.ListAsync(new AlertQuery(ActiveOnly: false, Subject: s_gauge.Id), ct)).Single();
        gauge.State.Should().Be(AlertState.Resolved);
        (await context.Service.HistoryAsync(gauge.Id, ct)).Select(e => e.Action).Should().Equal("raised", "resolved");
    }

    [Fact]
    public async Task ApplyAsync_BugInTheTransition_IsNotMistakenForAStoreFault()
    {
        var database = new FaultyStateDatabase();
        using var context = new AlertsTestContext(database: database);
        Func<Task> act = async () => await context.Service.ApplyAsync(null!, default, TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ArgumentNullException>();
        context.Service.Health().Ok.Should().BeTrue();
    }

    private static async Task AdvanceUntilAsync(AlertsTestContext context, Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the retry loop should have run");
            context.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
