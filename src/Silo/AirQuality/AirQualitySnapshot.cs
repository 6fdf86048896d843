namespace Resilience.Silo.AirQuality;

/// <summary>What an air station grain hands out: its indices now, the pollutants behind them and the last 24 closed
/// hours' VN_AQI. The HTTP layer adds the station's registry facts and the band.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.air-snapshot")]
internal sealed record AirQualitySnapshot(
    [property: Id(0)] int? VnAqi,
    [property: Id(1)] int? UsAqi,
    [property: Id(2)] string? Dominant,
    [property: Id(3)] PollutantSnapshot[] Pollutants,
    [property: Id(4)] long UpdatedMs,
    [property: Id(5)] AqiPoint[] History);
