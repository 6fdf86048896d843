namespace Resilience.Silo.Grains;

/// <summary>
/// One turn queued in an activation's mailbox. Items form an intrusive singly-linked list, so an idle
/// activation holds no queue object at all (two null references).
/// </summary>
internal abstract class WorkItem
{
    /// <summary>The next item in the mailbox.</summary>
    public WorkItem? Next { get; set; }

    /// <summary>True for runtime-internal items (timer ticks, checkpoints, deactivation) that do not count as activity.</summary>
    public virtual bool IsSystem => false;

    /// <summary>Runs the turn; never throws (failures complete the caller's task).</summary>
    public abstract ValueTask ExecuteAsync(Grain grain);

    /// <summary>Fails the caller's task without running (activation failed, silo stopping).</summary>
    public abstract void Fail(Exception exception);
}
