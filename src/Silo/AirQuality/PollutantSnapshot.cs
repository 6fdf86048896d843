namespace Resilience.Silo.AirQuality;

/// <summary>A pollutant's concentration used for the index (µg/m³; NowCast for PM) and its VN sub-index.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.pollutant-snapshot")]
internal sealed record PollutantSnapshot([property: Id(0)] string Name, [property: Id(1)] double Value, [property: Id(2)] int? SubIndex);
