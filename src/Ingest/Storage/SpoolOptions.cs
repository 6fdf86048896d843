using System.ComponentModel.DataAnnotations;

namespace Resilience.Ingest.Storage;

/// <summary>The writer's disk spool (<c>Resilience:Influx:Spool</c>).</summary>
public sealed class SpoolOptions
{
    /// <summary>Bound of the spool on disk. Default 1 GiB.</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Size at which a segment file is closed and a new one started. Default 64 MiB (at most MaxBytes / 4).</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>What happens when the spool is full. Default <see cref="SpoolFullPolicy.Block"/>.</summary>
    public SpoolFullPolicy FullPolicy { get; set; } = SpoolFullPolicy.Block;

    /// <summary>How spooled batches reach stable storage. Default <see cref="SpoolDurability.Flush"/>.</summary>
    public SpoolDurability Durability { get; set; } = SpoolDurability.Flush;
}
