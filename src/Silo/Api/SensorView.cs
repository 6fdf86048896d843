using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Api;

/// <summary>
/// A sensor as served by <c>/api/sensors</c> (docs/architecture.md, HTTP API shapes). <see cref="Freshness"/>
/// judges the last reading's own time against 3× the reporting interval (<see cref="StaleAfterSeconds"/>);
/// water-level gauges also carry the gauge fields (<see cref="LevelM"/> null unless current, the last level,
/// alarm levels and the next-alarm nowcast).
/// </summary>
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
    List<HistoryPointView>? History,
    string Freshness,
    long StaleAfterSeconds,
    DateTimeOffset? Ts,
    double? LevelM,
    double? LastLevelM,
    AlarmLevelsView? AlarmLevels,
    NextAlarm? NextAlarm)
{
    /// <summary>Readings of this sensor dropped as duplicates by sequence number (cumulative, survives restarts).</summary>
    public long Duplicates { get; init; }
}

