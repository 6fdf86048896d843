using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The held alarm level of a gauge and the zone level built from it. A gauge's level steps up at once when a
/// reading reaches a higher alarm level, and steps down only after its readings have stayed below the held
/// level's threshold minus <see cref="FloodLevelOptions.HysteresisM"/> for <see cref="FloodLevelOptions.StepDownAfter"/>
/// of reading time. The step lands on the highest level read (with the margin) during that time, so a river that
/// recedes in one go drops in one step. Readings at or before the last applied one are ignored, and a silence
/// longer than the step-down time restarts the count (nothing is known about the gap, so the higher level holds).
/// Pure and allocation-free; the zone level is the k-th highest held level (<see cref="ZoneAlarm.Level"/>).
/// </summary>
internal static class ZoneLevelTracker
{
    /// <summary>The alarm level 0–3 of <paramref name="levelM"/>; unknown (null) thresholds are never reached.</summary>
    public static int Classify(in AlarmLevels levels, double levelM) =>
        levels.LevelIII is { } iii && levelM >= iii ? 3
        : levels.LevelII is { } ii && levelM >= ii ? 2
        : levels.LevelI is { } i && levelM >= i ? 1
        : 0;

    /// <summary>The threshold of alarm <paramref name="level"/> (1–3), null when unknown.</summary>
    public static double? Threshold(in AlarmLevels levels, int level) => level switch
    {
        1 => levels.LevelI,
        2 => levels.LevelII,
        3 => levels.LevelIII,
        _ => null,
    };

    /// <summary>Applies one reading to a gauge's held level and returns the new state.</summary>
    public static GaugeLevelState Step(GaugeLevelState state, in AlarmLevels levels, long tsMs, double levelM, FloodLevelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(levelM) || (state.LastTsMs != 0 && tsMs <= state.LastTsMs))
        {
            return state; // a duplicate or late reading changes nothing that has already been decided
        }

        long gap = state.LastTsMs == 0 ? 0 : tsMs - state.LastTsMs;
        int raw = Classify(levels, levelM);
        if (raw >= state.Level)
        {
            // At or above the held level: step up at once (or stay), and any step-down count is over.
            return new GaugeLevelState(raw, tsMs, 0, 0);
        }

        double margin = options.HysteresisM;
        int withMargin = Classify(levels, levelM + margin);
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
        return Classify(levels, levelM + margin) >= lower.Level ? lower : lower with { BelowSinceMs = tsMs, BelowPeak = withMargin };
    }

    /// <summary>The zone level: the highest level that at least <paramref name="kOfN"/> of the held gauge levels reach.</summary>
    public static int ZoneLevel(ReadOnlySpan<GaugeLevelState> gauges, int kOfN)
    {
        Span<byte> levels = gauges.Length <= 256 ? stackalloc byte[gauges.Length] : new byte[gauges.Length];
        for (int i = 0; i < gauges.Length; i++)
        {
            levels[i] = (byte)gauges[i].Level;
        }

        return ZoneAlarm.Level(levels, kOfN);
    }
}
