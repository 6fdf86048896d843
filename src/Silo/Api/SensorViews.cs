using Resilience.Ingest.Pipeline;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Api;

/// <summary>Shapes a sensor's registry entry and grain snapshot into the <c>/api/sensors</c> JSON.</summary>
internal static class SensorViews
{
    /// <summary>
    /// The view of a sensor; <paramref name="snapshot"/> is null for a sensor this silo has never heard from,
    /// which counts as stale once it has been silent for 3× its interval since <paramref name="startedMs"/>.
    /// </summary>
    public static SensorView Build(SensorInfo sensor, SensorSnapshot? snapshot, long nowMs, long startedMs)
    {
        var values = new Dictionary<string, ValueView>(StringComparer.Ordinal);
        var flags = new List<string>();
        bool stale;
        bool online;
        long lastSeenMs = 0;
        int interval = sensor.ReportingIntervalSeconds;
        long lastTs = snapshot?.LastTsMs ?? 0;
        string freshness = Freshness.Of(lastTs, interval, nowMs);
        double? lastLevel = null;
        if (snapshot is null)
        {
            stale = nowMs - startedMs > sensor.ReportingIntervalSeconds * 3000L;
            online = false;
        }
        else
        {
            foreach (LatestValue v in snapshot.Latest)
            {
                values[Quantities.Name(v.Quantity)] = new ValueView(v.Value, DateTimeOffset.FromUnixTimeMilliseconds(v.TsMs), Freshness.IsCurrent(v.TsMs, interval, nowMs));
                if (v.Quantity == Quantity.WaterLevel)
                {
                    lastLevel = v.Value;
                }
            }

            if ((snapshot.Flags & QualityFlags.OutOfRange) != 0)
            {
                flags.Add("outOfRange");
            }

            if ((snapshot.Flags & QualityFlags.Spike) != 0)
            {
                flags.Add("spike");
            }

            if ((snapshot.Flags & QualityFlags.FlatLine) != 0)
            {
                flags.Add("flatLine");
            }

            lastSeenMs = snapshot.LastSeenMs;
            stale = snapshot.LastSeenMs == 0
                ? snapshot.StatusOffline || nowMs - startedMs > sensor.ReportingIntervalSeconds * 3000L
                : snapshot.IsStale(nowMs, sensor.ReportingIntervalSeconds);
            online = lastSeenMs > 0 && !stale;
        }

        if (stale)
        {
            flags.Insert(0, "stale");
        }

        List<HistoryPointView>? points = null;
        if (snapshot?.History is { } history)
        {
            points = [];
            foreach (HistorySample h in history)
            {
                if (points.Count == 0 || points[^1].Ts.ToUnixTimeMilliseconds() != h.TsMs)
                {
                    points.Add(new HistoryPointView(DateTimeOffset.FromUnixTimeMilliseconds(h.TsMs), new Dictionary<string, double>(StringComparer.Ordinal)));
                }

                points[^1].Values[Quantities.Name(h.Quantity)] = Math.Round(h.Value, 6); // stored as float: drop the float noise
            }
        }

        return new SensorView(
            sensor.Id,
            sensor.Province,
            sensor.KindName,
            sensor.Name,
            sensor.Area,
            sensor.Zone,
            sensor.Lat,
            sensor.Lon,
            online,
            lastSeenMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastSeenMs) : null,
            values,
            flags,
            points,
            freshness,
            Freshness.StaleAfterSeconds(interval),
            lastTs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastTs) : null,
            freshness == Freshness.Current ? lastLevel : null,
            lastLevel,
            AlarmLevelsView.From(sensor.AlarmLevels),
            freshness == Freshness.Current ? snapshot?.NextAlarm : null)
        {
            Duplicates = snapshot?.Duplicates ?? 0,
        };
    }
}
