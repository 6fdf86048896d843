using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.AirQuality;

/// <summary>Hourly means and AQI of one air-quality station, keyed by its sensor id.</summary>
internal interface IAirStationGrain : IGrainWithStringKey
{
    /// <summary>Adds one in-order reading to the hourly means.</summary>
    ValueTask RecordAsync(AirSample sample);

    /// <summary>The station's current AQI view (null before any data).</summary>
    ValueTask<AirQualityView?> GetViewAsync();
}
