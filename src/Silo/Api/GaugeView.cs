using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Api;

/// <summary>
/// One gauge of a zone. <see cref="LevelM"/> is null unless the last reading is current (<see cref="Freshness"/>);
/// <see cref="LastLevelM"/> and <see cref="Ts"/> always give the last reading. <see cref="Alarm"/> is the gauge's
/// held alarm level (hysteresis; what the zone level is built from).
/// </summary>
internal sealed record GaugeView(
    string Id,
    string Name,
    double? LevelM,
    int Alarm,
    DateTimeOffset? Ts,
    double? RiseMPerHour,
    bool Verified,
    double? LastLevelM,
    string Freshness,
    AlarmLevelsView? AlarmLevels,
    NextAlarm? NextAlarm);
