using Resilience.Alerts.Evaluation;

namespace Resilience.Alerts.Rules;

/// <summary>
/// A compiled, immutable rule for one subject (sensor or zone). A grain holds one <see cref="RuleState"/> per
/// rule and calls <see cref="Evaluate"/> for every reading of <see cref="Quantity"/>; the call is synchronous
/// and allocation-free.
/// </summary>
internal sealed class AlertRule
{
    /// <summary>Creates a rule; thresholds are sorted by severity.</summary>
    public AlertRule(
        string id,
        RuleKind kind,
        string? quantity,
        IReadOnlyList<RuleThreshold> thresholds,
        string nameVi,
        string nameEn,
        int raiseReadings = 1,
        TimeSpan raiseDuration = default,
        int clearReadings = 1,
        TimeSpan clearDuration = default,
        TimeSpan window = default,
        IReadOnlyList<TimeSpan>? windows = null,
        TimeSpan bucket = default,
        bool skipFlaggedReadings = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count == 0)
        {
            throw new ArgumentException("A rule needs at least one threshold.", nameof(thresholds));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(raiseReadings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clearReadings, 1);
        Id = id;
        Kind = kind;
        Quantity = quantity;
        var sorted = new RuleThreshold[thresholds.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = thresholds[i];
        }

        Array.Sort(sorted, static (a, b) => a.Severity != b.Severity ? a.Severity.CompareTo(b.Severity) : a.Set.CompareTo(b.Set));
        Thresholds = sorted;
        NameVi = nameVi;
        NameEn = nameEn;
        RaiseReadings = raiseReadings;
        RaiseDuration = raiseDuration;
        ClearReadings = clearReadings;
        ClearDuration = clearDuration;
        Window = window;
        SkipFlaggedReadings = skipFlaggedReadings;
        if (kind == RuleKind.RateOfRise)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        }

        if (kind == RuleKind.Rainfall)
        {
            if (windows is null || windows.Count == 0)
            {
                throw new ArgumentException("A rainfall rule needs at least one window.", nameof(windows));
            }

            Windows = [.. windows];
            Bucket = bucket > TimeSpan.Zero ? bucket : TimeSpan.FromMinutes(5);
            foreach (RuleThreshold t in sorted)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(t.WindowIndex, Windows.Length);
            }
        }
        else
        {
            Windows = [];
        }
    }

    /// <summary>Rule identifier, unique per subject (e.g. "water-level", "rate-of-rise").</summary>
    public string Id { get; }

    /// <summary>What the rule measures.</summary>
    public RuleKind Kind { get; }

    /// <summary>The quantity whose readings feed the rule (e.g. "water_level"); null for any reading (offline, suspect).</summary>
    public string? Quantity { get; }

    /// <summary>Thresholds, by ascending severity.</summary>
    public RuleThreshold[] Thresholds { get; }

    /// <summary>Vietnamese name of the rule, e.g. "Mực nước".</summary>
    public string NameVi { get; }

    /// <summary>English name of the rule, e.g. "Water level".</summary>
    public string NameEn { get; }

    /// <summary>Consecutive readings needed before raising or escalating.</summary>
    public int RaiseReadings { get; }

    /// <summary>Minimum time the condition must hold before raising or escalating.</summary>
    public TimeSpan RaiseDuration { get; }

    /// <summary>Consecutive readings needed before de-escalating or clearing.</summary>
    public int ClearReadings { get; }

    /// <summary>Minimum time the lower condition must hold before de-escalating or clearing.</summary>
    public TimeSpan ClearDuration { get; }

    /// <summary>Rate-of-rise window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Rainfall accumulation windows.</summary>
    public TimeSpan[] Windows { get; }

    /// <summary>Rainfall bucket width (default 5 min).</summary>
    public TimeSpan Bucket { get; }

    /// <summary>Level-type rules ignore readings flagged stale, spike, flat line or out of range.</summary>
    public bool SkipFlaggedReadings { get; }

    /// <summary>Whether a reading of <paramref name="quantity"/> feeds this rule.</summary>
    public bool Applies(string quantity) => Quantity is null || string.Equals(Quantity, quantity, StringComparison.Ordinal);

    /// <summary>
    /// Creates the per-subject state the grain keeps. Pass the severity of the subject's open alert (after a
    /// restart) so the rule resumes where it was instead of raising again.
    /// </summary>
    public RuleState CreateState(AlertSeverity active = AlertSeverity.None)
    {
        var state = new RuleState { Active = active };
        if (Kind == RuleKind.RateOfRise)
        {
            state.Rate = new RateWindow(Window);
        }
        else if (Kind == RuleKind.Rainfall)
        {
            state.Rain = new RainAccumulator(Bucket, Windows);
        }

        return state;
    }

    /// <summary>Evaluates one reading; returns a transition whose <see cref="RuleTransition.IsNone"/> is true when nothing changes.</summary>
    public RuleTransition Evaluate(ref RuleState state, in Reading reading, DateTimeOffset now) =>
        RuleEvaluator.Evaluate(this, ref state, in reading, now);

    /// <summary>The threshold of the given severity (the first one), or null.</summary>
    public RuleThreshold? ThresholdFor(AlertSeverity severity)
    {
        foreach (RuleThreshold t in Thresholds)
        {
            if (t.Severity == severity)
            {
                return t;
            }
        }

        return null;
    }
}
