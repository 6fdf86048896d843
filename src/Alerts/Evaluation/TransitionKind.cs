namespace Resilience.Alerts.Evaluation;

/// <summary>What a rule evaluation asks the lifecycle to do.</summary>
internal enum TransitionKind : byte
{
    /// <summary>Nothing changes.</summary>
    None = 0,

    /// <summary>The condition started: open an alert.</summary>
    Raise = 1,

    /// <summary>The condition became more severe.</summary>
    Escalate = 2,

    /// <summary>The condition became less severe but is still on.</summary>
    Deescalate = 3,

    /// <summary>The condition ended: resolve the alert.</summary>
    Clear = 4,
}
