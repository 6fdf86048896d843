namespace Resilience.Silo.AirQuality;

/// <summary>The VN_AQI of one closed hour.</summary>
internal sealed record AqiPoint(long HourMs, int VnAqi);
