namespace Resilience.Alerts.Rules;

/// <summary>
/// One compiled threshold of a rule: the condition is on when the value reaches <see cref="Set"/>, and stays on
/// (once reached) until the value falls below <see cref="Clear"/> (hysteresis).
/// </summary>
internal sealed class RuleThreshold
{
    /// <summary>Creates a threshold.</summary>
    public RuleThreshold(AlertSeverity severity, double set, double clear, string label, string nameVi, string nameEn, int windowIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfEqual((int)severity, (int)AlertSeverity.None);
        if (clear > set)
        {
            throw new ArgumentOutOfRangeException(nameof(clear), clear, "The clear level must not be above the set level.");
        }

        Severity = severity;
        Set = set;
        Clear = clear;
        Label = label;
        NameVi = nameVi;
        NameEn = nameEn;
        WindowIndex = windowIndex;
    }

    /// <summary>Severity while this threshold is the most severe one on.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>Value at or above which the threshold turns on.</summary>
    public double Set { get; }

    /// <summary>Value below which an on threshold turns off (≤ <see cref="Set"/>).</summary>
    public double Clear { get; }

    /// <summary>Short label, e.g. "I", "II", "III", "24h".</summary>
    public string Label { get; }

    /// <summary>Vietnamese name, e.g. "Báo động II".</summary>
    public string NameVi { get; }

    /// <summary>English name, e.g. "Alarm level II".</summary>
    public string NameEn { get; }

    /// <summary>For rainfall rules: index into <see cref="AlertRule.Windows"/>.</summary>
    public int WindowIndex { get; }
}
