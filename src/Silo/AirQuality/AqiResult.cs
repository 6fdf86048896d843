namespace Resilience.Silo.AirQuality;

/// <summary>An index value, its dominant pollutant and every pollutant's rounded sub-index.</summary>
internal sealed record AqiResult(int Aqi, string Dominant, IReadOnlyDictionary<string, int> SubIndices);
