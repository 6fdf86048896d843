using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Alerting;

/// <summary>Maps registry entries to alert subjects and rule contexts.</summary>
internal static class AlertSubjects
{
    /// <summary>The subject of a sensor's alerts (a gauge's carry its alarm levels).</summary>
    public static AlertSubject For(SensorInfo sensor) => new()
    {
        AlarmLevels = sensor.AlarmLevels is null ? null : [Levels(sensor)],
        Id = sensor.Id,
        Kind = "sensor",
        Province = sensor.Province,
        Name = sensor.Name,
        Area = sensor.Area,
        Zone = sensor.Zone,
        Lat = sensor.Lat,
        Lon = sensor.Lon,
    };

    /// <summary>The subject of a flood zone's alerts (with the alarm levels of its gauges found in <paramref name="registry"/>).</summary>
    public static AlertSubject For(ZoneInfo zone, SensorRegistry? registry = null) => new()
    {
        AlarmLevels = registry is null ? null : ZoneLevels(zone, registry),
        Id = zone.Id,
        Kind = "zone",
        Province = zone.Province,
        Name = zone.Name,
        Area = zone.Area,
        Zone = zone.Id,
        Polygon = zone.Polygon,
    };

    /// <summary>A gauge's alarm levels as alerts carry them.</summary>
    public static GaugeAlarmLevels Levels(SensorInfo gauge)
    {
        AlarmLevels levels = gauge.AlarmLevels ?? throw new ArgumentException($"{gauge.Id} has no alarm levels.", nameof(gauge));
        return new GaugeAlarmLevels(gauge.Id, gauge.Name, levels);
    }

    private static List<GaugeAlarmLevels> ZoneLevels(ZoneInfo zone, SensorRegistry registry)
    {
        var list = new List<GaugeAlarmLevels>(zone.Gauges.Count);
        foreach (string id in zone.Gauges)
        {
            if (registry.SensorsById.TryGetValue(id, out SensorInfo? gauge) && gauge.AlarmLevels is not null)
            {
                list.Add(Levels(gauge));
            }
        }

        return list;
    }

    /// <summary>The rule context of a sensor (its kind, zone and alarm levels).</summary>
    public static SensorRuleContext Context(SensorInfo sensor) => new(
        sensor.Id,
        sensor.KindName,
        sensor.Zone,
        sensor.AlarmLevels);

    /// <summary>The rule context of a flood zone.</summary>
    public static SensorRuleContext Context(ZoneInfo zone) => new(zone.Id, DefaultRules.Zone, zone.Id);
}
