using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;

namespace Resilience.Alerts.Tests.Dispatch;

public sealed class InfluxDispatcherTests
{
    [Fact]
    public async Task PassAsync_AlertVersions_WritesAlertMeasurementPointsInOrderAndEmptiesTheOutbox()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var context = new AlertsTestContext(new Dictionary<string, string?> { ["Resilience:Alerts:Mqtt"] = "false" });
        AlertRule rule = new AlertRuleCatalog([]).For(new SensorRuleContext("dn-camle-wl", DefaultRules.WaterLevel, null, new AlarmLevels(1, 2, 3)))[0];
        var subject = new AlertSubject { Id = "dn-camle-wl", Province = "danang" };
        DateTimeOffset now = context.Time.GetUtcNow();
        await context.Service.ApplyAsync(subject, new RuleTransition(rule, TransitionKind.Raise, AlertSeverity.Minor, AlertSeverity.None, rule.Thresholds[0], 1.1, now, now), ct);
        await context.Service.ApplyAsync(subject, new RuleTransition(rule, TransitionKind.Escalate, AlertSeverity.Warning, AlertSeverity.Minor, rule.Thresholds[1], 2.2, now, now.AddSeconds(1)), ct);
        var writer = new RecordingPointWriter();
        var dispatcher = new InfluxDispatcher(context.Store, context.Signal, [writer], context.OptionsWrapper, context.Time, NullLogger<InfluxDispatcher>.Instance);

        while (await dispatcher.PassAsync(ct))
        {
        }

        writer.Lines.Should().Equal(
            "alert province=danang,rule=water-level,severity=minor,subject=dn-camle-wl state=raised,value=1.1,version=1 1795305600000000000",
            "alert province=danang,rule=water-level,severity=warning,subject=dn-camle-wl state=escalated,value=2.2,version=2 1795305601000000000");
        context.Store.CountOutbox(AlertStore.Pending).Should().Be(0);
    }

    private sealed class RecordingPointWriter : IPointWriter
    {
        public List<string> Lines { get; } = [];

        public bool TryWrite(in PointData point)
        {
            string tags = string.Join(",", point.Tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            string fields = string.Join(",", point.Fields.ToArray().Select(f => f.Kind switch
            {
                FieldKind.String => $"{f.Key}={f.StringValue}",
                FieldKind.Float => $"{f.Key}={f.FloatValue.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                _ => $"{f.Key}={f.IntegerBits}",
            }));
            Lines.Add($"{point.Measurement} {tags} {fields} {point.TimestampNs}");
            return true;
        }

        public ValueTask WaitToWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
