using System.Text.Json.Serialization;

namespace Resilience.Alerts.Lifecycle;

/// <summary>Lifecycle state of an alert (docs/architecture.md, HTTP API shapes).</summary>
internal enum AlertState : byte
{
    /// <summary>Opened by a rule.</summary>
    [JsonStringEnumMemberName("raised")]
    Raised = 0,

    /// <summary>Became more severe (clears any acknowledgement: the new severity needs one).</summary>
    [JsonStringEnumMemberName("escalated")]
    Escalated = 1,

    /// <summary>Became less severe, still on.</summary>
    [JsonStringEnumMemberName("deescalated")]
    Deescalated = 2,

    /// <summary>Acknowledged by a person.</summary>
    [JsonStringEnumMemberName("acknowledged")]
    Acknowledged = 3,

    /// <summary>Closed: the condition cleared, or a person resolved it.</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved = 4,
}
