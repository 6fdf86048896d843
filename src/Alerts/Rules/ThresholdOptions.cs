namespace Resilience.Alerts.Rules;

/// <summary>One threshold of a configured rule (<c>Resilience:Alerts:Rules:n:Thresholds:m</c>).</summary>
internal sealed class ThresholdOptions
{
    /// <summary>Severity while on. Required.</summary>
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>Set level (value at or above which the threshold turns on).</summary>
    public double Value { get; set; }

    /// <summary>Clear level; default: <see cref="AlertRuleOptions.ClearOffset"/> below <see cref="Value"/>.</summary>
    public double? Clear { get; set; }

    /// <summary>Short label (e.g. "II"). Default: the severity name.</summary>
    public string? Label { get; set; }

    /// <summary>Vietnamese name. Default: the rule's name and label.</summary>
    public string? NameVi { get; set; }

    /// <summary>English name. Default: the rule's name and label.</summary>
    public string? NameEn { get; set; }

    /// <summary>Rainfall rules: the accumulation window of this threshold (e.g. 01:00:00, 03:00:00, 1.00:00:00).</summary>
    public TimeSpan? Window { get; set; }
}
