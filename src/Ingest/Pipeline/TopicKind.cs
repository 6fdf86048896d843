namespace Resilience.Ingest.Pipeline;

/// <summary>The last level of a device topic.</summary>
public enum TopicKind : byte
{
    /// <summary><c>sensors/{province}/{sensorId}/telemetry</c>.</summary>
    Telemetry,

    /// <summary><c>sensors/{province}/{sensorId}/status</c>.</summary>
    Status,
}
