using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Resilience.Alerts.Rules;

/// <summary>
/// Resolves the rules of a subject: the defaults of its kind (<see cref="DefaultRules"/>), then configured
/// rules by increasing specificity (sensor kind, zone, sensor); a configured rule replaces the rule with the
/// same id, adds a new one, or removes it when disabled. Grains call it once per activation. Compiled rules are
/// immutable (their states live in the grains), so subjects with the same kind, zone and alarm levels share one set
/// (<see cref="Shared"/>): 100,000 sensor grains hold a handful of rule sets, not 100,000.
/// </summary>
internal sealed class AlertRuleCatalog
{
    private readonly AlertRuleOptions[] _configured;
    private readonly FrozenSet<string> _sensorScoped;
    private readonly ConcurrentDictionary<SharedKey, AlertRule[]> _shared = new();

    /// <summary>Creates a catalog over the configured rules (<c>Resilience:Alerts:Rules</c>).</summary>
    public AlertRuleCatalog(IEnumerable<AlertRuleOptions> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        _configured = [.. configured];
        _sensorScoped = _configured.Where(static r => r.Sensor is not null).Select(static r => r.Sensor!).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The compiled rules for <paramref name="context"/> (a fresh list).</summary>
    public IReadOnlyList<AlertRule> For(SensorRuleContext context) => Compile(context);

    /// <summary>
    /// The compiled rules for <paramref name="context"/>, shared with every subject whose rules come out the same
    /// (same kind, zone and alarm levels, and no configured rule of its own). The array must not be changed.
    /// </summary>
    public AlertRule[] Shared(SensorRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_sensorScoped.Contains(context.SubjectId))
        {
            return Compile(context); // a rule configured for this sensor alone: its set is its own
        }

        var key = new SharedKey(context.SensorKind, context.Zone, context.AlarmLevels);
        return _shared.TryGetValue(key, out AlertRule[]? rules) ? rules : _shared.GetOrAdd(key, Compile(context));
    }

    private AlertRule[] Compile(SensorRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<AlertRuleOptions> rules = DefaultRules.For(context.SensorKind);
        for (int pass = 0; pass < 3; pass++)
        {
            foreach (AlertRuleOptions configured in _configured)
            {
                if (Scope(configured, context) != pass)
                {
                    continue;
                }

                int index = rules.FindIndex(r => string.Equals(r.Id, configured.Id, StringComparison.Ordinal));
                if (index >= 0)
                {
                    rules.RemoveAt(index);
                }

                if (configured.Enabled)
                {
                    rules.Insert(index >= 0 ? index : rules.Count, configured.Clone());
                }
            }
        }

        var compiled = new List<AlertRule>(rules.Count);
        foreach (AlertRuleOptions options in rules)
        {
            if (Compile(options, context) is { } rule)
            {
                compiled.Add(rule);
            }
        }

        return [.. compiled];
    }

    /// <summary>Compiles one rule definition; null when it has no usable threshold (e.g. a gauge without alarm levels).</summary>
    internal static AlertRule? Compile(AlertRuleOptions options, SensorRuleContext context)
    {
        var thresholds = new List<RuleThreshold>();
        var windows = new List<TimeSpan>();
        string nameVi = options.NameVi ?? options.Id;
        string nameEn = options.NameEn ?? options.Id;
        if (options.Thresholds.Count == 0 && options.Kind == RuleKind.Level)
        {
            AddAlarmLevel(thresholds, AlertSeverity.Minor, context.AlarmLevels?.I, "I", options.ClearOffset);
            AddAlarmLevel(thresholds, AlertSeverity.Warning, context.AlarmLevels?.II, "II", options.ClearOffset);
            AddAlarmLevel(thresholds, AlertSeverity.Severe, context.AlarmLevels?.III, "III", options.ClearOffset);
        }
        else
        {
            foreach (ThresholdOptions t in options.Thresholds)
            {
                int windowIndex = 0;
                if (options.Kind == RuleKind.Rainfall)
                {
                    TimeSpan window = t.Window ?? TimeSpan.FromHours(24);
                    windowIndex = windows.IndexOf(window);
                    if (windowIndex < 0)
                    {
                        windowIndex = windows.Count;
                        windows.Add(window);
                    }
                }

                string label = t.Label ?? t.Severity.ToString();
                thresholds.Add(new RuleThreshold(
                    t.Severity,
                    t.Value,
                    t.Clear ?? (t.Value - options.ClearOffset),
                    label,
                    t.NameVi ?? $"{nameVi} {label}",
                    t.NameEn ?? $"{nameEn} {label}",
                    windowIndex));
            }
        }

        if (thresholds.Count == 0)
        {
            return null;
        }

        string? quantity = options.Quantity ?? options.Kind switch
        {
            RuleKind.Level or RuleKind.RateOfRise => "water_level",
            RuleKind.Rainfall => "rainfall",
            RuleKind.AirQuality => DefaultRules.AqiQuantity,
            RuleKind.Zone => DefaultRules.ZoneLevelQuantity,
            _ => null,
        };

        return new AlertRule(
            options.Id,
            options.Kind,
            quantity,
            thresholds,
            nameVi,
            nameEn,
            raiseReadings: Math.Max(1, options.ConsecutiveReadings),
            raiseDuration: options.MinDuration,
            clearReadings: Math.Max(1, options.ClearReadings ?? options.ConsecutiveReadings),
            clearDuration: options.ClearDuration ?? options.MinDuration,
            window: options.Window,
            windows: windows);
    }

    private static void AddAlarmLevel(List<RuleThreshold> thresholds, AlertSeverity severity, double? level, string label, double clearOffset)
    {
        if (level is { } value)
        {
            thresholds.Add(new RuleThreshold(severity, value, value - clearOffset, label, $"Báo động {label}", $"Alarm level {label}"));
        }
    }

    private readonly record struct SharedKey(string SensorKind, string? Zone, AlarmLevels? Levels);

    // 0 = sensor kind, 1 = zone, 2 = sensor; -1 = does not apply.
    private static int Scope(AlertRuleOptions rule, SensorRuleContext context)
    {
        if (rule.Sensor is not null)
        {
            return string.Equals(rule.Sensor, context.SubjectId, StringComparison.Ordinal) ? 2 : -1;
        }

        if (rule.Zone is not null)
        {
            bool zoneMatches = string.Equals(rule.Zone, context.Zone, StringComparison.Ordinal);
            bool kindMatches = rule.SensorKind is null || string.Equals(rule.SensorKind, context.SensorKind, StringComparison.Ordinal);
            return zoneMatches && kindMatches ? 1 : -1;
        }

        return string.Equals(rule.SensorKind, context.SensorKind, StringComparison.Ordinal) ? 0 : -1;
    }
}
