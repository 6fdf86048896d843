using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Api;

/// <summary>Shapes a zone's registry entry and grain snapshot into the <c>/api/zones</c> JSON.</summary>
internal static class ZoneViews
{
    /// <summary>The view of a zone.</summary>
    public static ZoneView Build(ZoneInfo zone, ZoneSnapshot snapshot, SensorRegistry registry)
    {
        var gauges = new List<GaugeView>(snapshot.Gauges.Length);
        foreach (GaugeSnapshot g in snapshot.Gauges)
        {
            SensorInfo? info = registry.SensorsById.GetValueOrDefault(g.Id);
            bool current = g.Freshness == Freshness.Current;
            gauges.Add(new GaugeView(
                g.Id,
                info?.Name ?? g.Id,
                current ? g.LevelM : null,
                g.Alarm,
                g.LevelM is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(g.TsMs),
                g.RiseMPerHour,
                info?.AlarmLevels?.Verified ?? false,
                g.LevelM,
                g.Freshness,
                AlarmLevelsView.From(info?.AlarmLevels),
                g.NextAlarm));
        }

        GaugeSnapshot? worst = snapshot.Worst;
        return new ZoneView(
            zone.Id,
            zone.Province,
            zone.Name,
            zone.Area,
            snapshot.Level,
            ZoneStatus.LevelName(snapshot.Level),
            worst?.LevelM,
            worst?.RiseMPerHour,
            gauges,
            zone.Polygon,
            worst is null || worst.LevelM is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(worst.TsMs),
            snapshot.Freshness,
            snapshot.NextAlarm);
    }
}
