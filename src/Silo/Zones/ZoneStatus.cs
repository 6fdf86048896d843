using Resilience.Silo.Registry;

namespace Resilience.Silo.Zones;

/// <summary>
/// Pure zone-status rules: a gauge's alarm is its level against its own alarm levels (each station has its own
/// datum, so levels are never compared across stations); the rate of rise is taken over the last hour of a
/// gauge's samples. The zone level (k of n) is <c>Resilience.Alerts.Evaluation.ZoneLevelTracker.ZoneLevel</c>,
/// the one function the zone rule is defined on.
/// </summary>
internal static class ZoneStatus
{
    /// <summary>Names of levels 0–3.</summary>
    public static string LevelName(int level) => level switch
    {
        1 => "alarm I",
        2 => "alarm II",
        3 => "alarm III",
        _ => "normal",
    };

    /// <summary>Rate of rise in m/h over the samples of the last hour; null with less than 5 minutes of span.</summary>
    public static double? RisePerHour(IReadOnlyList<GaugeSample> samples, long nowMs)
    {
        if (samples.Count < 2)
        {
            return null;
        }

        GaugeSample last = samples[^1];
        GaugeSample? first = null;
        foreach (GaugeSample s in samples)
        {
            if (s.TsMs >= last.TsMs - 3_600_000)
            {
                first = s;
                break;
            }
        }

        if (first is not { } f || last.TsMs - f.TsMs < 300_000 || nowMs - last.TsMs > 3_600_000)
        {
            return null;
        }

        return Math.Round((last.LevelM - f.LevelM) / ((last.TsMs - f.TsMs) / 3_600_000.0), 3);
    }

    /// <summary>A gauge's alarm 0–3 (0 without alarm levels).</summary>
    public static int Alarm(SensorInfo gauge, double levelM) => gauge.AlarmLevels?.Classify(levelM) ?? 0;
}
