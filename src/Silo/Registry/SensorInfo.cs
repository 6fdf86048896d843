using Resilience.Alerts.Rules;

namespace Resilience.Silo.Registry;

/// <summary>One registered sensor.</summary>
internal sealed record SensorInfo(
    string Id,
    string Province,
    SensorKind Kind,
    string Name,
    string Area,
    string? Zone,
    double Lat,
    double Lon,
    int ReportingIntervalSeconds,
    AlarmLevels? AlarmLevels,
    QualityLimits Limits)
{
    /// <summary>Position in <see cref="SensorRegistry.Sensors"/> (indexes per-sensor tables such as liveness).</summary>
    public int Ordinal { get; init; }

    /// <summary>The registry's text for the kind.</summary>
    public string KindName => Kind switch
    {
        SensorKind.WaterLevel => "water_level",
        SensorKind.Rain => "rain",
        SensorKind.AirQuality => "air_quality",
        _ => "weather",
    };
}
