namespace Resilience.Alerts.Rules;

/// <summary>
/// A rule declared in configuration (<c>Resilience:Alerts:Rules:n</c>). Scope: <see cref="Sensor"/> (one sensor),
/// else <see cref="Zone"/> (every sensor of a zone, or the zone itself), else <see cref="SensorKind"/> (every sensor
/// of that kind; "zone" for zone rules). A configured rule with the same <see cref="Id"/> as a default rule
/// replaces it for its scope; more specific scopes win; <see cref="Enabled"/> = false removes it.
/// </summary>
internal sealed class AlertRuleOptions
{
    /// <summary>Rule id, unique per subject (e.g. "water-level"). Required.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the rule measures. Default Level.</summary>
    public RuleKind Kind { get; set; } = RuleKind.Level;

    /// <summary>Sensor kind scope (water_level, rain, air_quality, weather, or "zone").</summary>
    public string? SensorKind { get; set; }

    /// <summary>Single-sensor scope.</summary>
    public string? Sensor { get; set; }

    /// <summary>Zone scope.</summary>
    public string? Zone { get; set; }

    /// <summary>The quantity feeding the rule; default by kind (water_level, rainfall, vn_aqi, zone_level; none for offline/suspect).</summary>
    public string? Quantity { get; set; }

    /// <summary>Thresholds. Empty for a water-level Level rule means "the sensor's alarm levels I/II/III from the registry".</summary>
    public List<ThresholdOptions> Thresholds { get; set; } = [];

    /// <summary>Default clear offset below a set level (hysteresis). Default 0.1 (m for water levels).</summary>
    public double ClearOffset { get; set; } = 0.1;

    /// <summary>Consecutive readings before raising or escalating. Default 1.</summary>
    public int ConsecutiveReadings { get; set; } = 1;

    /// <summary>Minimum time before raising or escalating. Default 0.</summary>
    public TimeSpan MinDuration { get; set; }

    /// <summary>Consecutive readings before de-escalating or clearing. Default: <see cref="ConsecutiveReadings"/>.</summary>
    public int? ClearReadings { get; set; }

    /// <summary>Minimum time before de-escalating or clearing. Default: <see cref="MinDuration"/>.</summary>
    public TimeSpan? ClearDuration { get; set; }

    /// <summary>Rate-of-rise window. Default 1 h.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether the rule runs. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Vietnamese rule name.</summary>
    public string? NameVi { get; set; }

    /// <summary>English rule name.</summary>
    public string? NameEn { get; set; }

    internal AlertRuleOptions Clone()
    {
        var copy = (AlertRuleOptions)MemberwiseClone();
        copy.Thresholds = [.. Thresholds];
        return copy;
    }
}
