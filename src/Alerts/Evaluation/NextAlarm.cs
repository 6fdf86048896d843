using System.Globalization;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// A nowcast of when a gauge reaches its next alarm level at its recent rate of rise (see
/// <see cref="AlarmEtaEstimator"/>): "at 0.3 m/h, alarm III in about 2 h 10 min".
/// </summary>
/// <param name="Level">The alarm level ahead, 1–3.</param>
/// <param name="LevelName">"I", "II" or "III".</param>
/// <param name="ThresholdM">Its threshold in m above the gauge's datum.</param>
/// <param name="RateMPerHour">The fitted rate of rise, m/h (rounded to 0.01).</param>
/// <param name="EtaSeconds">Seconds from the last reading to the crossing (whole seconds).</param>
/// <param name="At">Expected crossing time (last reading time + ETA).</param>
/// <param name="GaugeId">The gauge the nowcast is for.</param>
internal sealed record NextAlarm(int Level, string LevelName, double ThresholdM, double RateMPerHour, long EtaSeconds, DateTimeOffset At, string GaugeId)
{
    /// <summary>"I", "II", "III" for 1–3.</summary>
    public static string Name(int level) => level switch
    {
        1 => "I",
        2 => "II",
        _ => "III",
    };

    /// <summary>"2 h 10 min", "45 min", "under a minute".</summary>
    public string DurationEn() => Duration(EtaSeconds, "h", "min", "under a minute");

    /// <summary>"2 giờ 10 phút", "45 phút", "dưới một phút".</summary>
    public string DurationVi() => Duration(EtaSeconds, "giờ", "phút", "dưới một phút");

    private static string Duration(long seconds, string h, string min, string none)
    {
        long minutes = (seconds + 30) / 60;
        if (minutes < 1)
        {
            return none;
        }

        long hours = minutes / 60;
        long rest = minutes % 60;
        return hours == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{rest} {min}")
            : rest == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours} {h}") : string.Create(CultureInfo.InvariantCulture, $"{hours} {h} {rest} {min}");
    }
}
