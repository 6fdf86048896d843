using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The held alarm level of a gauge and the zone level built from it. A gauge's level steps up at once when a
/// reading reaches a higher alarm level, and steps down only after its readings have stayed below the held
/// level's threshold minus <see cref="FloodLevelOptions.HysteresisM"/> for <see cref="FloodLevelOptions.StepDownAfter"/>
/// of reading time. The step lands on the highest level read (with the margin) during that time, so a river that
/// recedes in one go drops in one step. Readings at or before the last applied one are ignored, and a silence
/// longer than the step-down time restarts the count (nothing is known about the gap, so the higher level holds).
/// Pure and allocation-free; the zone level is the k-th highest held level (<see cref="ZoneLevel"/>, the one k-of-n
/// function: the zone grain and the zone rule's tests use it).
/// </summary>
internal static class ZoneLevelTracker
{
    /// <summary>Applies one reading to a gauge's held level and returns the new state.</summary>
    public static GaugeLevelState Step(GaugeLevelState state, AlarmLevels levels, long tsMs, double levelM, FloodLevelOptions options)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(levelM) || (state.LastTsMs != 0 && tsMs <= state.LastTsMs))
        {
            return state; // a duplicate or late reading changes nothing that has already been decided
        }

        long gap = state.LastTsMs == 0 ? 0 : tsMs - state.LastTsMs;
        int raw = levels.Classify(levelM);
        if (raw >= state.Level)
        {
            // At or above the held level: step up at once (or stay), and any step-down count is over.
            return new GaugeLevelState(raw, tsMs, 0, 0);
        }

        double margin = options.HysteresisM;
        int withMargin = levels.Classify(levelM + margin);
        if (withMargin >= state.Level)
        {
            return state with { LastTsMs = tsMs, BelowSinceMs = 0, BelowPeak = 0 }; // inside the hysteresis band
        }

        long stepDownMs = (long)options.StepDownAfter.TotalMilliseconds;
        if (state.BelowSinceMs == 0 || gap > stepDownMs)
        {
            state = state with { BelowSinceMs = tsMs, BelowPeak = withMargin };
        }
        else
        {
            state = state with { BelowPeak = Math.Max(state.BelowPeak, withMargin) };
        }

        state = state with { LastTsMs = tsMs };
        if (tsMs - state.BelowSinceMs < stepDownMs)
        {
            return state;
        }

        // Below long enough: step down to the highest level read meanwhile, then judge this reading against it.
        var lower = new GaugeLevelState(state.BelowPeak, tsMs, 0, 0);
        return levels.Classify(levelM + margin) >= lower.Level ? lower : lower with { BelowSinceMs = tsMs, BelowPeak = withMargin };
    }

    /// <summary>
    /// The zone level (k of n): the highest alarm level 0–3 that at least <paramref name="kOfN"/> (at least 1) of the
    /// held gauge levels reach; fewer reporting gauges than k are never in alarm. The zone grain feeds it to the zone
    /// rule as the reading value.
    /// </summary>
    public static int ZoneLevel(ReadOnlySpan<GaugeLevelState> gauges, int kOfN)
    {
        int k = Math.Max(1, kOfN);
        int atLeast1 = 0;
        int atLeast2 = 0;
        int atLeast3 = 0;
        foreach (GaugeLevelState gauge in gauges)
        {
            atLeast1 += gauge.Level >= 1 ? 1 : 0;
            atLeast2 += gauge.Level >= 2 ? 1 : 0;
            atLeast3 += gauge.Level >= 3 ? 1 : 0;
        }

        return atLeast3 >= k ? 3 : atLeast2 >= k ? 2 : atLeast1 >= k ? 1 : 0;
    }
}
