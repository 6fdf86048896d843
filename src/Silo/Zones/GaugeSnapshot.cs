namespace Resilience.Silo.Zones;

/// <summary>One gauge of a zone at a moment: its last level (null before any), alarm 0–3 and rate of rise.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-snapshot")]
internal sealed record GaugeSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] double? LevelM,
    [property: Id(2)] int Alarm,
    [property: Id(3)] long TsMs,
    [property: Id(4)] double? RiseMPerHour);
