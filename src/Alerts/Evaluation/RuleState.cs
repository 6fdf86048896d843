using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The mutable per-(subject, rule) state a grain holds and passes by <c>ref</c> to
/// <see cref="AlertRule.Evaluate"/>. Create it with <see cref="AlertRule.CreateState"/> (which allocates the
/// rate or rainfall window once); evaluation itself never allocates.
/// </summary>
internal struct RuleState
{
    /// <summary>The severity currently reported (None when clear).</summary>
    internal AlertSeverity Active;

    /// <summary>+1 while a rise is pending, −1 while a fall is pending, 0 otherwise.</summary>
    internal sbyte PendingDirection;

    /// <summary>Consecutive readings seen in the pending direction.</summary>
    internal int PendingCount;

    /// <summary>UTC ticks of the first reading in the pending direction.</summary>
    internal long PendingSinceTicks;

    /// <summary>Rate-of-rise samples (rate rules only).</summary>
    internal RateWindow? Rate;

    /// <summary>Rainfall buckets (rainfall rules only).</summary>
    internal RainAccumulator? Rain;

    /// <summary>The severity the rule currently reports.</summary>
    public readonly AlertSeverity ActiveSeverity => Active;
}
