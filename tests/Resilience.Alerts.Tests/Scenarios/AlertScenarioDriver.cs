using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.TestKit;

namespace Resilience.Alerts.Tests.Scenarios;

/// <summary>
/// Drives an <see cref="AlertScenario"/> through the rule evaluator and the lifecycle, the way the grains will:
/// one <see cref="RuleState"/> per (subject, rule), every reading evaluated synchronously, transitions applied
/// to <see cref="IAlertService"/>; a zone is re-evaluated after each reading of one of its gauges with the
/// k-of-n level of the gauges' held levels (<see cref="ZoneLevelTracker"/>, default <see cref="FloodLevelOptions"/>).
/// </summary>
internal sealed class AlertScenarioDriver
{
    private readonly AlertsTestContext _context;
    private readonly AlertRuleCatalog _catalog;
    private readonly Dictionary<string, Subject> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GaugeLevelState> _held = new(StringComparer.Ordinal);
    private readonly FloodLevelOptions _flood = new();

    public AlertScenarioDriver(AlertsTestContext context)
    {
        _context = context;
        _catalog = new AlertRuleCatalog(context.Options.Rules);
    }

    public async Task<List<string>> RunAsync(AlertScenario scenario, CancellationToken cancellationToken)
    {
        foreach (AlertScenarioSensor sensor in scenario.Sensors)
        {
            var context = new SensorRuleContext(sensor.Id, sensor.Kind, sensor.Kind == "zone" ? sensor.Id : sensor.Zone,
                new AlarmLevels(sensor.LevelI, sensor.LevelII, sensor.LevelIII));
            IReadOnlyList<AlertRule> rules = _catalog.For(context);
            var states = new RuleState[rules.Count];
            for (int i = 0; i < rules.Count; i++)
            {
                states[i] = rules[i].CreateState();
            }

            var subject = new AlertSubject
            {
                Id = sensor.Id,
                Kind = sensor.Kind == "zone" ? "zone" : "sensor",
                Province = sensor.Province,
                Zone = sensor.Zone,
                Name = sensor.Id,
                Lat = 16.0,
                Lon = 108.2,
            };
            _subjects[sensor.Id] = new Subject(sensor, subject, [.. rules], states);
        }

        var lines = new List<string>();
        foreach (AlertScenarioStep step in scenario.Steps)
        {
            DateTimeOffset at = scenario.Start + step.At;
            _context.Time.SetUtcNow(at);
            Subject sensor = _subjects[step.Sensor];
            var reading = new Reading(at, step.Value, ParseFlags(step.Flags));
            await EvaluateAsync(sensor, step.Quantity, reading, scenario, lines, cancellationToken);
            if (sensor.Sensor.Zone is { } zoneId && _subjects.TryGetValue(zoneId, out Subject? zone))
            {
                if (step.Quantity == DefaultRules.WaterLevel && reading.Flags == DataQualityFlags.None)
                {
                    var levels = new AlarmLevels(sensor.Sensor.LevelI, sensor.Sensor.LevelII, sensor.Sensor.LevelIII);
                    _held[step.Sensor] = ZoneLevelTracker.Step(_held.GetValueOrDefault(step.Sensor), levels, at.ToUnixTimeMilliseconds(), step.Value, _flood);
                }

                var zoneReading = new Reading(at, ZoneLevel(zone), DataQualityFlags.None);
                await EvaluateAsync(zone, DefaultRules.ZoneLevelQuantity, zoneReading, scenario, lines, cancellationToken);
            }
        }

        return lines;
    }

    private async Task EvaluateAsync(Subject subject, string quantity, Reading reading, AlertScenario scenario, List<string> lines, CancellationToken cancellationToken)
    {
        for (int i = 0; i < subject.Rules.Length; i++)
        {
            AlertRule rule = subject.Rules[i];
            if (!rule.Applies(quantity))
            {
                continue;
            }

            RuleTransition transition = rule.Evaluate(ref subject.States[i], in reading, _context.Time.GetUtcNow());
            if (transition.IsNone)
            {
                continue;
            }

            AlertRecord? alert = await _context.Service.ApplyAsync(subject.AlertSubject, transition, cancellationToken);
            if (alert is null || (scenario.ObservedRules.Count > 0 && !scenario.ObservedRules.Contains(rule.Id)))
            {
                continue;
            }

            lines.Add(Format(scenario.Start, alert));
        }
    }

    public static string Format(DateTimeOffset start, AlertRecord alert) =>
        $"{AlertScenario.Offset((alert.ObservedAt ?? alert.UpdatedAt) - start)} {alert.Subject} {alert.Rule} {Name(alert.State)} {alert.Severity.ToString().ToLowerInvariant()}";

    private static string Name(AlertState state) => state.ToString().ToLowerInvariant();

    // As the zone grain: the k-of-n level of the gauges' held levels (hysteresis, ZoneLevelTracker).
    private double ZoneLevel(Subject zone)
    {
        var held = new List<GaugeLevelState>();
        foreach (Subject gauge in _subjects.Values)
        {
            if (gauge.Sensor.Zone == zone.Sensor.Id && gauge.Sensor.Kind == DefaultRules.WaterLevel && _held.TryGetValue(gauge.Sensor.Id, out GaugeLevelState state))
            {
                held.Add(state);
            }
        }

        return ZoneLevelTracker.ZoneLevel(held.ToArray(), zone.Sensor.KOfN);
    }

    private static DataQualityFlags ParseFlags(string flags)
    {
        DataQualityFlags result = DataQualityFlags.None;
        foreach (string flag in flags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= flag switch
            {
                "stale" => DataQualityFlags.Stale,
                "spike" => DataQualityFlags.Spike,
                "flatLine" => DataQualityFlags.FlatLine,
                "outOfRange" => DataQualityFlags.OutOfRange,
                _ => throw new ArgumentException($"Unknown flag '{flag}'."),
            };
        }

        return result;
    }

    private sealed record Subject(AlertScenarioSensor Sensor, AlertSubject AlertSubject, AlertRule[] Rules, RuleState[] States);
}
