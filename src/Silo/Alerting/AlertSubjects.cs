using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Silo.Registry;
using AlertAlarmLevels = Resilience.Alerts.Rules.AlarmLevels;

namespace Resilience.Silo.Alerting;

/// <summary>Maps registry entries to alert subjects and rule contexts.</summary>
internal static class AlertSubjects
{
    /// <summary>The subject of a sensor's alerts.</summary>
    public static AlertSubject For(SensorInfo sensor) => new()
    {
        Id = sensor.Id,
        Kind = "sensor",
        Province = sensor.Province,
        Name = sensor.Name,
        Area = sensor.Area,
        Zone = sensor.Zone,
        Lat = sensor.Lat,
        Lon = sensor.Lon,
    };

    /// <summary>The subject of a flood zone's alerts.</summary>
    public static AlertSubject For(ZoneInfo zone) => new()
    {
        Id = zone.Id,
        Kind = "zone",
        Province = zone.Province,
        Name = zone.Name,
        Area = zone.Area,
        Zone = zone.Id,
        Polygon = zone.Polygon,
    };

    /// <summary>The rule context of a sensor (its kind, zone and alarm levels).</summary>
    public static SensorRuleContext Context(SensorInfo sensor) => new(
        sensor.Id,
        sensor.KindName,
        sensor.Zone,
        sensor.AlarmLevels is { } a ? new AlertAlarmLevels(a.I, a.II, a.III) : default);

    /// <summary>The rule context of a flood zone.</summary>
    public static SensorRuleContext Context(ZoneInfo zone) => new(zone.Id, DefaultRules.Zone, zone.Id);
}
