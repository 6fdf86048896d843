namespace Resilience.Ingest.Storage;

/// <summary>What the writer does when the disk spool reaches <see cref="SpoolOptions.MaxBytes"/>.</summary>
public enum SpoolFullPolicy
{
    /// <summary>Stop accepting points (<see cref="IPointWriter.TryWrite"/> returns false) until the spool drains.</summary>
    Block,

    /// <summary>Drop the oldest spooled batches, counting their lines as dropped.</summary>
    DropOldest,
}
