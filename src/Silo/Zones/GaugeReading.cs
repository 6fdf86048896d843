namespace Resilience.Silo.Zones;

/// <summary>A water level reported by a gauge to its zone.</summary>
internal sealed record GaugeReading(string SensorId, long TsMs, double LevelM);
