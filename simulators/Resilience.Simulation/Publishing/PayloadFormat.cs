namespace Resilience.Simulation.Publishing;

/// <summary>Which timestamp a simulated payload carries.</summary>
public enum TimestampMode
{
    /// <summary>The reading's simulated time in <c>ts</c> (or SenML <c>bt</c>).</summary>
    Simulated,

    /// <summary>No timestamp: the backend uses its receive time.</summary>
    Receive,
}
