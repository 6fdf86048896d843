using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>One value of a sensor's last hour, as handed out in a <see cref="SensorSnapshot"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.history-sample")]
internal readonly record struct HistorySample([property: Id(0)] long TsMs, [property: Id(1)] Quantity Quantity, [property: Id(2)] double Value);
