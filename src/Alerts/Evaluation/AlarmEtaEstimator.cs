using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// Time to the next alarm level from the recent rate of rise: an ordinary least-squares line through the
/// readings of the last <see cref="FloodLevelOptions.EtaWindow"/> (reading time), extrapolated from the fitted
/// level at the last reading to the lowest known threshold above it. Withheld (null) when there are fewer than
/// <see cref="FloodLevelOptions.EtaMinPoints"/> readings or they span less than <see cref="FloodLevelOptions.EtaMinSpan"/>,
/// when the fit explains less than <see cref="FloodLevelOptions.EtaMinRSquared"/> of the variance (the rise is
/// not steady enough to say), when the river is flat or falling (slope below <see cref="FloodLevelOptions.EtaMinRateMPerHour"/>),
/// when no known threshold lies above (already at III, or the rest unknown), and when the crossing is further
/// than <see cref="FloodLevelOptions.EtaHorizon"/>. A linear nowcast, not a forecast: it says what happens if the
/// river keeps rising as it has for the last hour.
/// </summary>
internal static class AlarmEtaEstimator
{
    private const double MsPerHour = 3_600_000.0;

    /// <summary>
    /// Estimates the next alarm of <paramref name="gaugeId"/> from <paramref name="samples"/> (oldest first, any
    /// order of arrival already resolved); null when withheld.
    /// </summary>
    public static NextAlarm? Estimate(ReadOnlySpan<LevelSample> samples, AlarmLevels levels, string gaugeId, FloodLevelOptions options)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(options);
        if (samples.Length == 0)
        {
            return null;
        }

        long lastTs = samples[^1].TsMs;
        long from = lastTs - (long)options.EtaWindow.TotalMilliseconds;
        int start = samples.Length - 1;
        while (start > 0 && samples[start - 1].TsMs >= from)
        {
            start--;
        }

        ReadOnlySpan<LevelSample> window = samples[start..];
        if (window.Length < options.EtaMinPoints || lastTs - window[0].TsMs < options.EtaMinSpan.TotalMilliseconds)
        {
            return null;
        }

        // Least squares on hours relative to the last reading (keeps the sums well conditioned).
        double n = window.Length;
        double sx = 0;
        double sy = 0;
        foreach (LevelSample s in window)
        {
            sx += (s.TsMs - lastTs) / MsPerHour;
            sy += s.LevelM;
        }

        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        foreach (LevelSample s in window)
        {
            double dx = ((s.TsMs - lastTs) / MsPerHour) - mx;
            double dy = s.LevelM - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx <= 0 || !double.IsFinite(sxy))
        {
            return null;
        }

        double slope = sxy / sxx; // m/h
        if (slope < options.EtaMinRateMPerHour || syy <= 0)
        {
            return null;
        }

        double rSquared = sxy * sxy / (sxx * syy);
        if (rSquared < options.EtaMinRSquared)
        {
            return null;
        }

        double fittedNow = my - (slope * mx); // the line at x = 0, the last reading
        double current = Math.Max(fittedNow, samples[^1].LevelM);
        for (int level = 1; level <= 3; level++)
        {
            if (levels.Threshold(level) is not { } threshold || threshold <= current)
            {
                continue;
            }

            double hours = (threshold - fittedNow) / slope;
            if (hours * MsPerHour > options.EtaHorizon.TotalMilliseconds)
            {
                return null;
            }

            long etaSeconds = (long)Math.Round(hours * 3600.0);
            return new NextAlarm(
                level,
                NextAlarm.Name(level),
                threshold,
                Math.Round(slope, 2),
                etaSeconds,
                DateTimeOffset.FromUnixTimeMilliseconds(lastTs).AddSeconds(etaSeconds),
                gaugeId);
        }

        return null;
    }
}
