namespace Resilience.Silo.Zones;

/// <summary>A water level reported by a gauge to its zone; <paramref name="Suspect"/> readings (spike, flat line) are kept but move no alarm level.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-reading")]
internal sealed record GaugeReading(
    [property: Id(0)] string SensorId,
    [property: Id(1)] long TsMs,
    [property: Id(2)] double LevelM,
    [property: Id(3)] bool Suspect = false);
