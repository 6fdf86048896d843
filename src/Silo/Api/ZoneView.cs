namespace Resilience.Silo.Api;

/// <summary>A flood zone as served by <c>/api/zones</c>.</summary>
internal sealed record ZoneView(
    string Id,
    string Province,
    string Name,
    string Area,
    int Level,
    string LevelName,
    double? MaxLevelM,
    double? RiseMPerHour,
    List<GaugeView> Gauges,
    IReadOnlyList<double[]> Polygon,
    DateTimeOffset? Updated);
