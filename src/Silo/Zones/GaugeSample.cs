namespace Resilience.Silo.Zones;

/// <summary>One level of a gauge at a time.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-sample")]
internal readonly record struct GaugeSample([property: Id(0)] long TsMs, [property: Id(1)] double LevelM);
