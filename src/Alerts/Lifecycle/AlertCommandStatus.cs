namespace Resilience.Alerts.Lifecycle;

/// <summary>Outcome of an acknowledge or resolve command.</summary>
internal enum AlertCommandStatus
{
    /// <summary>Applied; a new version exists.</summary>
    Ok = 0,

    /// <summary>No such alert.</summary>
    NotFound = 1,

    /// <summary>The alert is already resolved.</summary>
    Closed = 2,
}
