using Resilience.Silo.Sensors;

namespace Resilience.Silo.AirQuality;

/// <summary>Pollutant values of one reading, handed from a sensor grain to its air station grain.</summary>
internal sealed record AirSample(long TsMs, QuantityValue[] Values);
