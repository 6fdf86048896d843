namespace Resilience.Silo.Api;

/// <summary>An air-quality station as served by <c>/api/air-quality</c>.</summary>
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
    List<AqiHistoryPointView> History);
