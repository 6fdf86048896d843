namespace Resilience.Silo.Grains;

/// <summary>The outcome of offering a work item to an activation's mailbox.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued; the activation will run it.</summary>
    Enqueued,

    /// <summary>The mailbox is at capacity: wait for space and try again (backpressure).</summary>
    Full,

    /// <summary>The activation is going away: wait for it to finish, then use a new activation.</summary>
    Deactivating,
}
