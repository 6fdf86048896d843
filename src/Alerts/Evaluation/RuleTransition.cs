using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// The outcome of one evaluation: <see cref="IsNone"/> when nothing changes, otherwise what the lifecycle must
/// apply. A small struct: returning it allocates nothing.
/// </summary>
internal readonly struct RuleTransition
{
    /// <summary>Creates a transition.</summary>
    public RuleTransition(
        AlertRule rule,
        TransitionKind kind,
        AlertSeverity severity,
        AlertSeverity previous,
        RuleThreshold? threshold,
        double value,
        DateTimeOffset observedAt,
        DateTimeOffset at)
    {
        Rule = rule;
        Kind = kind;
        Severity = severity;
        Previous = previous;
        Threshold = threshold;
        Value = value;
        ObservedAt = observedAt;
        At = at;
    }

    /// <summary>The rule that changed (null only for <see cref="IsNone"/>).</summary>
    public AlertRule? Rule { get; }

    /// <summary>Raise, escalate, de-escalate or clear.</summary>
    public TransitionKind Kind { get; }

    /// <summary>The new severity (None for a clear).</summary>
    public AlertSeverity Severity { get; }

    /// <summary>The severity before the change.</summary>
    public AlertSeverity Previous { get; }

    /// <summary>The most severe threshold that is on (null for a clear).</summary>
    public RuleThreshold? Threshold { get; }

    /// <summary>The value compared with the threshold (level, rate per hour, accumulated mm, AQI …).</summary>
    public double Value { get; }

    /// <summary>Timestamp of the reading that completed the change.</summary>
    public DateTimeOffset ObservedAt { get; }

    /// <summary>When the evaluation ran (the grain's clock).</summary>
    public DateTimeOffset At { get; }

    /// <summary>True when nothing changes.</summary>
    public bool IsNone => Kind == TransitionKind.None;

    /// <inheritdoc />
    public override string ToString() => IsNone ? "none" : $"{Kind}:{Severity}";
}
