namespace Resilience.Silo.Zones;

/// <summary>A water level reported by a gauge to its zone.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-reading")]
internal sealed record GaugeReading([property: Id(0)] string SensorId, [property: Id(1)] long TsMs, [property: Id(2)] double LevelM);
