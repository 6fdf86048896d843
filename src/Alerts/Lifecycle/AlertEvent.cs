namespace Resilience.Alerts.Lifecycle;

/// <summary>One audit-trail entry: every change (one per version) and every escalation notice.</summary>
internal sealed record AlertEvent
{
    /// <summary>Global sequence number (also the SSE event id).</summary>
    public long Seq { get; init; }

    /// <summary>Alert id.</summary>
    public long AlertId { get; init; }

    /// <summary>The alert version after the change (notices keep the version they are about).</summary>
    public int Version { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>raised, escalated, deescalated, acknowledged, resolved, cancelled or notice.</summary>
    public required string Action { get; init; }

    /// <summary>Who ("system" for rule changes).</summary>
    public string? Actor { get; init; }

    /// <summary>Free text given with the action.</summary>
    public string? Note { get; init; }

    /// <summary>The alert as it was after the action.</summary>
    public required AlertRecord Alert { get; init; }

    /// <summary>The entry as anonymous readers see it: no operator names, only the system's own notes.</summary>
    public AlertEvent ForPublic()
    {
        bool system = string.Equals(Actor, AlertService.SystemActor, StringComparison.Ordinal);
        return this with
        {
            Actor = Actor is null ? null : AlertRecord.PublicActor(Actor),
            Note = system ? Note : null,
            Alert = Alert.ForPublic(),
        };
    }
}
