namespace Resilience.Silo.Api;

/// <summary>
/// An air-quality station as served by <c>/api/air-quality</c>. <see cref="VnAqi"/>, <see cref="UsAqi"/> and
/// <see cref="Band"/> are null unless the reading behind them is current; <see cref="LastVnAqi"/>/<see cref="LastUsAqi"/>
/// keep the last values and <see cref="Updated"/> their reading time.
/// </summary>
internal sealed record AirQualityView(
    string SensorId,
    string Name,
    string Province,
    string Area,
    double Lat,
    double Lon,
    int? VnAqi,
    int? UsAqi,
    string? Dominant,
    BandView? Band,
    Dictionary<string, PollutantView> Pollutants,
    DateTimeOffset? Updated,
    List<AqiHistoryPointView> History,
    int? LastVnAqi,
    int? LastUsAqi,
    string Freshness);
