namespace Resilience.Silo.Registry;

/// <summary>
/// Data-quality limits of a sensor's primary quantity (DOMAIN.md §6: hard range, rate of change, flat line).
/// Null disables a check.
/// </summary>
internal sealed record QualityLimits(double? HardMin, double? HardMax, double? MaxRisePerHour, int? FlatLineMinutes)
{
    /// <summary>Defaults by kind where the registry gives none.</summary>
    public static QualityLimits DefaultFor(SensorKind kind) => kind switch
    {
        SensorKind.WaterLevel => new QualityLimits(-5, 60, 3.0, 360),
        SensorKind.Rain => new QualityLimits(0, 300, null, null),
        SensorKind.AirQuality => new QualityLimits(0, 2000, null, 720),
        _ => new QualityLimits(-20, 60, null, 720),
    };

    /// <summary>Fills the gaps of <paramref name="given"/> from the kind's defaults.</summary>
    public static QualityLimits Merge(QualityLimits? given, SensorKind kind)
    {
        QualityLimits d = DefaultFor(kind);
        return given is null
            ? d
            : new QualityLimits(given.HardMin ?? d.HardMin, given.HardMax ?? d.HardMax, given.MaxRisePerHour ?? d.MaxRisePerHour, given.FlatLineMinutes ?? d.FlatLineMinutes);
    }
}
