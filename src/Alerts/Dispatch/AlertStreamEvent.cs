namespace Resilience.Alerts.Dispatch;

/// <summary>One server-sent event: id = audit sequence, name "alert" or "notice", data = the alert JSON.</summary>
/// <param name="Seq">Audit-trail sequence number (the SSE id; Last-Event-ID resumes after it).</param>
/// <param name="Name">SSE event name.</param>
/// <param name="Json">The alert JSON (for signed-in operators).</param>
/// <param name="PublicJson">The alert JSON for anonymous readers (<see cref="Lifecycle.AlertRecord.ForPublic"/>).</param>
internal sealed record AlertStreamEvent(long Seq, string Name, string Json, string PublicJson)
{
    /// <summary>
    /// Stamped by <see cref="AlertStreamHub.Publish"/>: every sequence number up to this one had reached the hub (or
    /// was given up) when this event did, so a client that has written this event has written all of them too; the
    /// endpoint sends it as the SSE id. −1 before the hub stamps it.
    /// </summary>
    public long Settled { get; init; } = -1;
}
