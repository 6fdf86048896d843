namespace Resilience.Silo.Zones;

/// <summary>
/// What a flood zone grain hands out: the zone level (k of n), every registered gauge in registry order and the
/// worst one (highest alarm, then highest margin above its alarm I). The HTTP layer shapes it into JSON.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.zone-snapshot")]
internal sealed record ZoneSnapshot(
    [property: Id(0)] int Level,
    [property: Id(1)] GaugeSnapshot[] Gauges,
    [property: Id(2)] GaugeSnapshot? Worst,
    [property: Id(3)] string Freshness,
    [property: Id(4)] Resilience.Alerts.Evaluation.NextAlarm? NextAlarm);
