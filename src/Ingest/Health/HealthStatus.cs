namespace Resilience.Ingest.Health;

/// <summary>How well a part of the silo is doing; <c>/health</c> reports the worst of its parts.</summary>
public enum HealthStatus
{
    /// <summary>Working.</summary>
    Ok,

    /// <summary>Working, but an operator should act (low disk, failing commits that are retried).</summary>
    Degraded,

    /// <summary>Not working: <c>/health</c> answers 503.</summary>
    Failing,
}
