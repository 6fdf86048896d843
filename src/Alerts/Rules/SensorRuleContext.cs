namespace Resilience.Alerts.Rules;

/// <summary>What the catalog needs to know about a subject to pick its rules.</summary>
/// <param name="SubjectId">Sensor id, or zone id for zone rules.</param>
/// <param name="SensorKind">water_level, rain, air_quality, weather, or "zone".</param>
/// <param name="Zone">The sensor's zone (or the zone itself).</param>
/// <param name="AlarmLevels">A water-level gauge's alarm levels (null for other subjects).</param>
internal sealed record SensorRuleContext(string SubjectId, string SensorKind, string? Zone = null, AlarmLevels? AlarmLevels = null);
