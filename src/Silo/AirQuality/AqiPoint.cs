namespace Resilience.Silo.AirQuality;

/// <summary>The VN_AQI of one closed hour.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.aqi-point")]
internal sealed record AqiPoint([property: Id(0)] long HourMs, [property: Id(1)] int VnAqi);
