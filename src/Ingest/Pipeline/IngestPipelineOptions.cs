using System.ComponentModel.DataAnnotations;

namespace Resilience.Ingest.Pipeline;

/// <summary>Payload decoding and dead-letter settings (section <c>Resilience:Ingest:Pipeline</c>).</summary>
public sealed class IngestPipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Resilience:Ingest:Pipeline";

    /// <summary>Accepted province slugs in topics. Default: danang, hanoi, haiphong, hochiminh, bacninh.</summary>
    [MinLength(1)]
    public List<string> Provinces { get; set; } = [];

    /// <summary>Largest payload decoded; larger ones are dead letters. Default 16384 bytes.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>How far a payload's ts may be ahead of the receive time. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most readings (distinct SenML times) in one message. Default 32.</summary>
    [Range(1, 1024)]
    public int MaxReadingsPerMessage { get; set; } = 32;

    /// <summary>Most sensor ids interned by the topic parser. Default 100000.</summary>
    [Range(0, 10_000_000)]
    public int SensorIdCacheCapacity { get; set; } = 100_000;

    /// <summary>Dead letters queued for the background writer before new ones are dropped (and counted). Default 10000.</summary>
    [Range(1, 1_000_000)]
    public int DeadLetterQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Byte quota of the dead-letter files together; the oldest are deleted to stay under it. Each dead letter
    /// keeps at most 1 KiB of its payload plus the whole payload's length and SHA-256. Default 64 MiB.
    /// </summary>
    [Range(typeof(long), "65536", "9223372036854775807")]
    public long DeadLetterMaxBytes { get; set; } = DeadLetterWriter.DefaultMaxBytes;

    /// <summary>Dead-letter directory. Default empty: <c>&lt;Resilience:DataDirectory&gt;/deadletter</c> (<c>./data/deadletter</c>).</summary>
    public string? DeadLetterDirectory { get; set; }
}
