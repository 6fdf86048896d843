using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The synchronous, allocation-free evaluation behind <see cref="AlertRule.Evaluate"/>:
/// (1) the reading becomes one value per threshold (level, rate, window total, AQI, flag);
/// (2) a threshold is on when its value reaches Set, or when it was already on (its severity ≤ the active
/// one) and its value is still at or above Clear (hysteresis); the candidate is the most severe threshold on;
/// (3) a change of severity is applied only after N consecutive readings and a minimum duration in the same
/// direction (debounce), so a value oscillating around a threshold does not flap.
/// </summary>
internal static class RuleEvaluator
{
    /// <summary>Evaluates <paramref name="reading"/> against <paramref name="rule"/>.</summary>
    public static RuleTransition Evaluate(AlertRule rule, ref RuleState state, in Reading reading, DateTimeOffset now)
    {
        double value;
        switch (rule.Kind)
        {
            case RuleKind.Offline:
                value = (reading.Flags & DataQualityFlags.Stale) != 0 ? 1 : 0;
                break;
            case RuleKind.Suspect:
                if ((reading.Flags & DataQualityFlags.Stale) != 0)
                {
                    return default; // offline says it better; keep the suspect state as it is
                }

                value = (reading.Flags & DataQualityFlags.Suspect) != 0 ? 1 : 0;
                break;
            case RuleKind.RateOfRise:
                if (Skip(rule, in reading))
                {
                    return default;
                }

                if (!state.Rate!.TryAdd(reading.Timestamp.UtcTicks, reading.Value, out value))
                {
                    return default; // not enough history yet
                }

                break;
            case RuleKind.Rainfall:
                if (Skip(rule, in reading))
                {
                    return default;
                }

                state.Rain!.Add(reading.Timestamp.UtcTicks, reading.Value);
                value = 0;
                break;
            default:
                if (Skip(rule, in reading))
                {
                    return default;
                }

                value = reading.Value;
                break;
        }

        AlertSeverity candidate = AlertSeverity.None;
        RuleThreshold? top = null;
        RuleThreshold[] thresholds = rule.Thresholds;
        double topValue = rule.Kind == RuleKind.Rainfall ? state.Rain!.Total(thresholds[0].WindowIndex) : value;
        for (int i = 0; i < thresholds.Length; i++)
        {
            RuleThreshold t = thresholds[i];
            double v = rule.Kind == RuleKind.Rainfall ? state.Rain!.Total(t.WindowIndex) : value;
            bool on = v >= t.Set || (t.Severity <= state.Active && v >= t.Clear);
            if (on && t.Severity >= candidate)
            {
                candidate = t.Severity;
                top = t;
                topValue = v;
            }
        }

        return Debounce(rule, ref state, candidate, top, topValue, reading.Timestamp, now);
    }

    private static bool Skip(AlertRule rule, in Reading reading) =>
        !double.IsFinite(reading.Value) ||
        (rule.SkipFlaggedReadings && (reading.Flags & (DataQualityFlags.Suspect | DataQualityFlags.Stale)) != 0);

    private static RuleTransition Debounce(
        AlertRule rule,
        ref RuleState state,
        AlertSeverity candidate,
        RuleThreshold? top,
        double value,
        DateTimeOffset observedAt,
        DateTimeOffset now)
    {
        if (candidate == state.Active)
        {
            state.PendingDirection = 0;
            state.PendingCount = 0;
            return default;
        }

        sbyte direction = candidate > state.Active ? (sbyte)1 : (sbyte)-1;
        long ticks = observedAt.UtcTicks;
        if (state.PendingDirection != direction)
        {
            state.PendingDirection = direction;
            state.PendingCount = 0;
            state.PendingSinceTicks = ticks;
        }

        state.PendingCount++;
        int needReadings = direction > 0 ? rule.RaiseReadings : rule.ClearReadings;
        long needTicks = direction > 0 ? rule.RaiseDuration.Ticks : rule.ClearDuration.Ticks;
        if (state.PendingCount < needReadings || ticks - state.PendingSinceTicks < needTicks)
        {
            return default;
        }

        AlertSeverity previous = state.Active;
        TransitionKind kind = previous == AlertSeverity.None ? TransitionKind.Raise
            : candidate == AlertSeverity.None ? TransitionKind.Clear
            : direction > 0 ? TransitionKind.Escalate
            : TransitionKind.Deescalate;
        state.Active = candidate;
        state.PendingDirection = 0;
        state.PendingCount = 0;
        return new RuleTransition(rule, kind, candidate, previous, top, value, observedAt, now);
    }
}
