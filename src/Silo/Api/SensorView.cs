namespace Resilience.Silo.Api;

/// <summary>A sensor as served by <c>/api/sensors</c> (docs/architecture.md, HTTP API shapes).</summary>
internal sealed record SensorView(
    string Id,
    string Province,
    string Kind,
    string Name,
    string Area,
    string? Zone,
    double Lat,
    double Lon,
    bool Online,
    DateTimeOffset? LastSeen,
    Dictionary<string, ValueView> Values,
    List<string> Flags,
    List<HistoryPointView>? History)
{
    /// <summary>Readings of this sensor dropped as duplicates by sequence number (cumulative, survives restarts).</summary>
    public long Duplicates { get; init; }
}
