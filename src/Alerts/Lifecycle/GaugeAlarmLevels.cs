namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// A gauge's flood alarm levels as an alert carries them (alert JSON <c>alarmLevels[]</c>, CAP parameters), so
/// the people on duty read the level against its thresholds and their provenance.
/// </summary>
/// <param name="GaugeId">Gauge (sensor) id.</param>
/// <param name="Name">Gauge name.</param>
/// <param name="I">Alarm I (m above the gauge's datum), null when unknown.</param>
/// <param name="II">Alarm II, null when unknown.</param>
/// <param name="III">Alarm III, null when unknown.</param>
/// <param name="Source">Where the values come from (decision, bulletin).</param>
/// <param name="Verified">True only when checked against Quyết định 05/2020/QĐ-TTg Phụ lục I.</param>
internal sealed record GaugeAlarmLevels(string GaugeId, string? Name, double? I, double? II, double? III, string Source, bool Verified);
