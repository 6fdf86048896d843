namespace Resilience.Ingest.Storage;

/// <summary>How hard the disk spool pushes its records to stable storage.</summary>
public enum SpoolDurability
{
    /// <summary>Records are handed to the operating system (they survive a process crash, not a power loss).</summary>
    None,

    /// <summary>As <see cref="None"/>, plus an fsync on every <see cref="IPointWriter.FlushAsync"/> and segment roll.</summary>
    Flush,

    /// <summary>Every spooled batch is fsynced before it counts as durable.</summary>
    FsyncPerBatch,
}
