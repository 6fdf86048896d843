using System.Text.Json.Serialization;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// A gauge's flood alarm levels as an alert carries them (alert JSON <c>alarmLevels[]</c>, CAP parameters), so
/// the people on duty read the level against its thresholds and their provenance: the gauge and its
/// <see cref="AlarmLevels"/>. The JSON stays flat (<c>gaugeId, name, i, ii, iii, source, verified</c>), as the alert
/// ledger stores it and clients read it.
/// </summary>
internal sealed record GaugeAlarmLevels
{
    /// <summary>Creates the entry of <paramref name="gaugeId"/>.</summary>
    public GaugeAlarmLevels(string gaugeId, string? name, AlarmLevels levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        GaugeId = gaugeId;
        Name = name;
        Levels = levels;
    }

    /// <summary>Creates the entry from its flat JSON form (the alert ledger, clients).</summary>
    [JsonConstructor]
    public GaugeAlarmLevels(string gaugeId, string? name, double? i, double? ii, double? iii, string source, bool verified)
        : this(gaugeId, name, new AlarmLevels(i, ii, iii, source ?? string.Empty, verified))
    {
    }

    /// <summary>Gauge (sensor) id.</summary>
    public string GaugeId { get; }

    /// <summary>Gauge name.</summary>
    public string? Name { get; }

    /// <summary>The gauge's alarm levels.</summary>
    [JsonIgnore]
    public AlarmLevels Levels { get; }

    /// <summary>Alarm I (m above the gauge's datum), null when unknown.</summary>
    public double? I => Levels.I;

    /// <summary>Alarm II, null when unknown.</summary>
    public double? II => Levels.II;

    /// <summary>Alarm III, null when unknown.</summary>
    public double? III => Levels.III;

    /// <summary>Where the values come from (decision, bulletin).</summary>
    public string Source => Levels.Source;

    /// <summary>True only when checked against Quyết định 05/2020/QĐ-TTg Phụ lục I.</summary>
    public bool Verified => Levels.Verified;
}
