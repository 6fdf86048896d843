namespace Resilience.Silo.AirQuality;

/// <summary>One closed hour of a station: the mean of each pollutant (pm25, pm10, o3, no2, so2, co; null = none).</summary>
[GenerateSerializer]
[Alias("resilience.hourly-means")]
internal sealed class HourlyMeans
{
    /// <summary>Start of the hour, Unix ms.</summary>
    [Id(0)]
    public long HourMs { get; set; }

    /// <summary>Means in µg/m³, indexed as <see cref="AirStationState.Sums"/>.</summary>
    [Id(1)]
    public double?[] Means { get; set; } = new double?[6];
}
