using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Lifecycle;

public sealed class AlertServiceTests
{
    private static readonly AlertSubject s_gauge = new() { Id = "dn-camle-wl", Province = "danang", Name = "Cẩm Lệ (Hàn)", Lat = 16.016, Lon = 108.207 };

    private static readonly Dictionary<string, string?> s_twoWebhooks = new()
    {
        ["Resilience:Alerts:Webhooks:0:Url"] = "http://127.0.0.1:9/a",
        ["Resilience:Alerts:Webhooks:1:Url"] = "http://127.0.0.1:9/b",
    };

    private static AlertRule LevelRule() =>
        new AlertRuleCatalog([]).For(new SensorRuleContext("dn-camle-wl", DefaultRules.WaterLevel, null, new AlarmLevels(1.0, 2.0, 2.5)))
            .Single(r => r.Id == "water-level");

    private static RuleTransition Transition(AlertRule rule, TransitionKind kind, AlertSeverity severity, double value, DateTimeOffset at) =>
        new(rule, kind, severity, AlertSeverity.None, rule.ThresholdFor(severity), value, at, at);

    [Fact]
    public async Task ApplyAsync_RaiseThenEscalate_UpdatesOneAlertAndIncrementsVersion()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = LevelRule();
        DateTimeOffset now = context.Time.GetUtcNow();

        AlertRecord? raised = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.05, now), ct);
        AlertRecord? same = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.07, now), ct);
        AlertRecord? escalated = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Escalate, AlertSeverity.Warning, 2.1, now.AddMinutes(5)), ct);

        raised!.Version.Should().Be(1);
        raised.State.Should().Be(AlertState.Raised);
        raised.NameVi.Should().Be("Báo động I");
        same!.Id.Should().Be(raised.Id);
        same.Version.Should().Be(1);
        escalated!.Id.Should().Be(raised.Id);
        escalated.Version.Should().Be(2);
        escalated.State.Should().Be(AlertState.Escalated);
        escalated.Severity.Should().Be(AlertSeverity.Warning);
        escalated.Level.Should().Be("II");
        escalated.NameEn.Should().Be("Alarm level II");
        (await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task AcknowledgeAsync_OpenAlert_RecordsWhoWhenNote_AndEscalationClearsIt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = LevelRule();
        AlertRecord raised = (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Warning, 2.1, context.Time.GetUtcNow()), ct))!;
        context.Time.Advance(TimeSpan.FromMinutes(3));

        AlertCommandResult ack = await context.Service.AcknowledgeAsync(raised.Id, "officer.minh", "Đã cử đội kiểm tra", ct);

        ack.Status.Should().Be(AlertCommandStatus.Ok);
        ack.Alert!.State.Should().Be(AlertState.Acknowledged);
        ack.Alert.AcknowledgedBy.Should().Be("officer.minh");
        ack.Alert.AcknowledgedAt.Should().Be(context.Time.GetUtcNow());
        ack.Alert.Note.Should().Be("Đã cử đội kiểm tra");
        ack.Alert.Version.Should().Be(2);

        AlertRecord escalated = (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Escalate, AlertSeverity.Severe, 2.6, context.Time.GetUtcNow()), ct))!;
        escalated.AcknowledgedBy.Should().BeNull();
        escalated.State.Should().Be(AlertState.Escalated);
        escalated.Version.Should().Be(3);

        IReadOnlyList<AlertEvent> history = await context.Service.HistoryAsync(raised.Id, ct);
        history.Select(h => h.Action).Should().Equal("raised", "acknowledged", "escalated");
        history[1].Actor.Should().Be("officer.minh");
        history[1].Note.Should().Be("Đã cử đội kiểm tra");
    }

    [Fact]
    public async Task ResolveAsync_ByHand_ClosesAlert_ThenClearIsNoOp_AndNextRaiseOpensNewAlert()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = LevelRule();
        DateTimeOffset now = context.Time.GetUtcNow();
        AlertRecord raised = (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.1, now), ct))!;

        AlertCommandResult resolved = await context.Service.ResolveAsync(raised.Id, "officer.lan", "sensor under maintenance", cancellationToken: ct);
        AlertRecord? clear = await context.Service.ApplyAsync(s_gauge, new RuleTransition(rule, TransitionKind.Clear, AlertSeverity.None, AlertSeverity.Minor, null, 0.5, now, now), ct);
        AlertRecord? again = await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.2, now), ct);

        resolved.Status.Should().Be(AlertCommandStatus.Ok);
        resolved.Alert!.State.Should().Be(AlertState.Resolved);
        resolved.Alert.ResolvedBy.Should().Be("officer.lan");
        clear.Should().BeNull();
        again!.Id.Should().NotBe(raised.Id);
        again.Version.Should().Be(1);
        (await context.Service.AcknowledgeAsync(raised.Id, "x", null, ct)).Status.Should().Be(AlertCommandStatus.Closed);
        (await context.Service.AcknowledgeAsync(12345, "x", null, ct)).Status.Should().Be(AlertCommandStatus.NotFound);
    }

    [Fact]
    public async Task ApplyAsync_EveryChange_EnqueuesOneMessagePerWebhookAndMqttInTheSameCommit()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext(s_twoWebhooks);
        AlertRule rule = LevelRule();
        DateTimeOffset now = context.Time.GetUtcNow();
        await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.1, now), ct);
        await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Escalate, AlertSeverity.Warning, 2.1, now), ct);

        context.Store.CountOutbox(AlertStore.Pending).Should().Be(8); // 2 versions × (2 webhooks + mqtt + influx)
        List<OutboxMessage> heads = context.Store.Claim(AlertService.WebhookChannel("http://127.0.0.1:9/a"), now, 10, "test", context.Time.GetUtcNow().AddMinutes(1));
        heads.Should().ContainSingle().Which.IdempotencyKey.Should().Be("alert-1-v1"); // v2 waits for v1
        List<OutboxMessage> mqtt = context.Store.Claim(AlertService.MqttChannel, now, 10, "test", context.Time.GetUtcNow().AddMinutes(1));
        mqtt.Single().Topic.Should().Be("alerts/danang/dn-camle-wl");
        heads[0].Payload.Should().Contain("\"type\":\"alert\"").And.Contain("\"idempotencyKey\":\"alert-1-v1\"").And.Contain("\"severity\":\"minor\"");
    }

    [Fact]
    public async Task SendDueNotices_WarningUnacknowledgedPastTimeout_SendsOnceWithAuditAndWebhook()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var config = new Dictionary<string, string?>(s_twoWebhooks) { ["Resilience:Alerts:Dispatch:AcknowledgeTimeout"] = "00:15:00" };
        using var context = new AlertsTestContext(config);
        AlertRule rule = LevelRule();
        var other = s_gauge with { Id = "dn-other-wl" };
        AlertRecord warning = (await context.Service.ApplyAsync(s_gauge, Transition(rule, TransitionKind.Raise, AlertSeverity.Warning, 2.1, context.Time.GetUtcNow()), ct))!;
        await context.Service.ApplyAsync(other, Transition(rule, TransitionKind.Raise, AlertSeverity.Minor, 1.1, context.Time.GetUtcNow()), ct);
        using AlertStreamSubscription stream = context.Hub.Subscribe();

        context.Time.Advance(TimeSpan.FromMinutes(14));
        context.Service.SendDueNotices().Should().Be(0);
        context.Time.Advance(TimeSpan.FromMinutes(2));
        context.Service.SendDueNotices().Should().Be(1);
        context.Service.SendDueNotices().Should().Be(0);

        IReadOnlyList<AlertEvent> history = await context.Service.HistoryAsync(warning.Id, ct);
        history.Select(h => h.Action).Should().Equal("raised", "notice");
        history[1].Version.Should().Be(1);
        stream.Channel.Reader.TryRead(out AlertStreamEvent? notice).Should().BeTrue();
        notice!.Name.Should().Be("notice");
        List<OutboxMessage> heads = context.Store.Claim(AlertService.WebhookChannel("http://127.0.0.1:9/b"), context.Time.GetUtcNow(), 10, "test", context.Time.GetUtcNow().AddMinutes(1));
        heads.Select(h => h.IdempotencyKey).Should().Contain("alert-1-v1");
        context.Store.CountOutbox(AlertStore.Pending).Should().Be((2 * 4) + 2); // 2 alerts × (2 webhooks + mqtt + influx) + notice × 2 webhooks
    }

    [Fact]
    public async Task SendDueNotices_AcknowledgedAlert_SendsNothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRecord warning = (await context.Service.ApplyAsync(s_gauge, Transition(LevelRule(), TransitionKind.Raise, AlertSeverity.Severe, 2.6, context.Time.GetUtcNow()), ct))!;
        await context.Service.AcknowledgeAsync(warning.Id, "officer.minh", null, ct);

        context.Time.Advance(TimeSpan.FromHours(2));

        context.Service.SendDueNotices().Should().Be(0);
    }

    [Fact]
    public async Task OpenAlertsAsync_AfterRestart_SeedsRuleStateSoTheRuleResumesInsteadOfRaisingAgain()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext();
        AlertRule rule = LevelRule();
        RuleState state = rule.CreateState();
        DateTimeOffset t = context.Time.GetUtcNow();
        for (int i = 0; i < 2; i++)
        {
            t = t.AddMinutes(1);
            await context.Service.ApplyAsync(s_gauge, rule.Evaluate(ref state, new Reading(t, 2.2), t), ct);
        }

        // "Restart": a new service over the same database, a fresh grain state seeded from the open alerts.
        var restarted = new AlertService(context.Store, new AlertStreamHub(), new OutboxSignal(), context.OptionsWrapper, context.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AlertService>.Instance);
        IReadOnlyList<AlertRecord> open = await restarted.OpenAlertsAsync(s_gauge.Id, ct);
        RuleState resumed = rule.CreateState(open.Single(a => a.Rule == rule.Id).Severity);
        var transitions = new List<string>();
        foreach (double level in new[] { 2.2, 2.1, 0.5, 0.5, 0.5 })
        {
            t = t.AddMinutes(1);
            RuleTransition transition = rule.Evaluate(ref resumed, new Reading(t, level), t);
            if (!transition.IsNone)
            {
                transitions.Add(transition.ToString());
                await restarted.ApplyAsync(s_gauge, transition, ct);
            }
        }

        transitions.Should().Equal("Clear:None");
        AlertRecord only = (await restarted.ListAsync(new AlertQuery(ActiveOnly: false), ct)).Single();
        only.State.Should().Be(AlertState.Resolved);
        only.Version.Should().Be(2);
    }
}
