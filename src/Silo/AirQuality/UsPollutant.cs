namespace Resilience.Silo.AirQuality;

/// <summary>The columns of the EPA AQI table (TAD EPA-454/B-24-002), with their native units.</summary>
public enum UsPollutant
{
    /// <summary>O3 8-hour, ppm.</summary>
    O3EightHour,

    /// <summary>O3 1-hour, ppm (only from 0.125 ppm up).</summary>
    O3OneHour,

    /// <summary>PM2.5 (24-hour or NowCast), µg/m³.</summary>
    Pm25,

    /// <summary>PM10 (24-hour or NowCast), µg/m³.</summary>
    Pm10,

    /// <summary>CO 8-hour, ppm.</summary>
    Co,

    /// <summary>SO2 1-hour, ppb.</summary>
    So2,

    /// <summary>NO2 1-hour, ppb.</summary>
    No2,
}
