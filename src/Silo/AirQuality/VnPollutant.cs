namespace Resilience.Silo.AirQuality;

/// <summary>The columns of VN_AQI Bảng 2 (Quyết định 1459/QĐ-TCMT).</summary>
public enum VnPollutant
{
    /// <summary>O3, 1-hour mean.</summary>
    O3OneHour,

    /// <summary>O3, 8-hour mean (daily index only).</summary>
    O3EightHour,

    /// <summary>CO.</summary>
    Co,

    /// <summary>SO2.</summary>
    So2,

    /// <summary>NO2.</summary>
    No2,

    /// <summary>PM10.</summary>
    Pm10,

    /// <summary>PM2.5.</summary>
    Pm25,
}
