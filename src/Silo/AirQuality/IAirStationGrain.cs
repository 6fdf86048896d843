namespace Resilience.Silo.AirQuality;

/// <summary>Hourly means and AQI of one air-quality station, keyed by its sensor id.</summary>
[Alias("resilience.air-station")]
internal interface IAirStationGrain : IGrainWithStringKey
{
    /// <summary>Adds one in-order reading to the hourly means.</summary>
    [Alias("record")]
    ValueTask RecordAsync(AirSample sample);

    /// <summary>The station's current indices (null when the id is not a registered sensor).</summary>
    [Alias("snapshot")]
    ValueTask<AirQualitySnapshot?> GetSnapshotAsync();
}
