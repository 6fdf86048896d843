namespace Resilience.Silo.Registry;

/// <summary>A flood zone: an area watched by one or more water-level gauges.</summary>
internal sealed record ZoneInfo(
    string Id,
    string Province,
    string Name,
    string Area,
    IReadOnlyList<double[]> Polygon,
    int KOfN,
    IReadOnlyList<string> Gauges);
