namespace Resilience.Silo.Zones;

/// <summary>One level of a gauge at a time.</summary>
internal readonly record struct GaugeSample(long TsMs, double LevelM);
