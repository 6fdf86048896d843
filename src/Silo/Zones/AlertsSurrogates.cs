using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Zones;

/// <summary>
/// How a gauge's held alarm level (<see cref="GaugeLevelState"/>, src/Alerts, which carries no Orleans dependency)
/// goes into grain state.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.gauge-level")]
internal readonly record struct GaugeLevelStateSurrogate(
    [property: Id(0)] int Level,
    [property: Id(1)] long LastTsMs,
    [property: Id(2)] long BelowSinceMs,
    [property: Id(3)] int BelowPeak);

/// <summary>Registers <see cref="GaugeLevelStateSurrogate"/> as the serialized form of <see cref="GaugeLevelState"/>.</summary>
[RegisterConverter]
internal sealed class GaugeLevelStateConverter : IConverter<GaugeLevelState, GaugeLevelStateSurrogate>
{
    public GaugeLevelState ConvertFromSurrogate(in GaugeLevelStateSurrogate surrogate) =>
        new(surrogate.Level, surrogate.LastTsMs, surrogate.BelowSinceMs, surrogate.BelowPeak);

    public GaugeLevelStateSurrogate ConvertToSurrogate(in GaugeLevelState value) =>
        new(value.Level, value.LastTsMs, value.BelowSinceMs, value.BelowPeak);
}

/// <summary>How a time-to-next-alarm nowcast (<see cref="NextAlarm"/>) crosses a grain call in a snapshot.</summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.next-alarm")]
internal readonly record struct NextAlarmSurrogate(
    [property: Id(0)] int Level,
    [property: Id(1)] string LevelName,
    [property: Id(2)] double ThresholdM,
    [property: Id(3)] double RateMPerHour,
    [property: Id(4)] long EtaSeconds,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string GaugeId);

/// <summary>Registers <see cref="NextAlarmSurrogate"/> as the serialized form of <see cref="NextAlarm"/>.</summary>
[RegisterConverter]
internal sealed class NextAlarmConverter : IConverter<NextAlarm, NextAlarmSurrogate>
{
    public NextAlarm ConvertFromSurrogate(in NextAlarmSurrogate surrogate) =>
        new(surrogate.Level, surrogate.LevelName, surrogate.ThresholdM, surrogate.RateMPerHour, surrogate.EtaSeconds, surrogate.At, surrogate.GaugeId);

    public NextAlarmSurrogate ConvertToSurrogate(in NextAlarm value) =>
        new(value.Level, value.LevelName, value.ThresholdM, value.RateMPerHour, value.EtaSeconds, value.At, value.GaugeId);
}
