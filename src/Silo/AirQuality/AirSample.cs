using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.AirQuality;

/// <summary>Pollutant values of one reading, handed from a sensor grain to its air station grain.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.air-sample")]
internal sealed record AirSample([property: Id(0)] long TsMs, [property: Id(1)] QuantityValue[] Values);
