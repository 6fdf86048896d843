namespace Resilience.Silo.Zones;

/// <summary>A water level reported by a gauge to its zone; <paramref name="Suspect"/> readings (spike, flat line) are kept but move no alarm level.</summary>
internal sealed record GaugeReading(string SensorId, long TsMs, double LevelM, bool Suspect = false);
