using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>The latest in-order value of one quantity.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.latest")]
internal readonly record struct LatestValue([property: Id(0)] Quantity Quantity, [property: Id(1)] double Value, [property: Id(2)] long TsMs);
