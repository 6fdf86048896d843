using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Api;

/// <summary>
/// A flood zone as served by <c>/api/zones</c>. <see cref="Level"/> is the hysteresis level (k of n held gauge
/// levels); <see cref="Freshness"/> is current when any gauge is; <see cref="NextAlarm"/> the earliest of its gauges'.
/// </summary>
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
    DateTimeOffset? Updated,
    string Freshness,
    NextAlarm? NextAlarm);
