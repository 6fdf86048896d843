namespace Resilience.Silo.Zones;

/// <summary>One gauge of a zone at a moment: its last level (null before any, kept when stale), its held alarm 0–3,
/// the rate of rise (current only), its freshness and its time-to-next-alarm nowcast.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-snapshot")]
internal sealed record GaugeSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] double? LevelM,
    [property: Id(2)] int Alarm,
    [property: Id(3)] long TsMs,
    [property: Id(4)] double? RiseMPerHour,
    [property: Id(5)] string Freshness,
    [property: Id(6)] Resilience.Alerts.Evaluation.NextAlarm? NextAlarm);
