namespace Resilience.Silo.Api;

/// <summary>One hourly VN_AQI value.</summary>
internal sealed record AqiHistoryPointView(DateTimeOffset Ts, int VnAqi);
