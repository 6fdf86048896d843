using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Storage;

/// <summary>The InfluxDB writer (<c>Resilience:Influx</c>).</summary>
public sealed class InfluxOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Influx";

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:8086</c>. Empty means spool only. Default empty.</summary>
    public string? Url { get; set; }

    /// <summary>Database (1.x <c>db</c>). Default <c>resilience</c>.</summary>
    [Required]
    public string Database { get; set; } = "resilience";

    /// <summary>Token, sent as <c>Authorization: Token …</c> (1.x with auth, 2.x, 3.x). Default none.</summary>
    public string? Token { get; set; }

    /// <summary>Retention policy (1.x <c>rp</c>). Default none (the database's default policy).</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>User name for 1.x basic authentication (<c>u</c>/<c>p</c>). Default none.</summary>
    public string? Username { get; set; }

    /// <summary>Password for 1.x authentication. Default none.</summary>
    public string? Password { get; set; }

    /// <summary>Write endpoint. Default <see cref="InfluxApiVersion.V1"/> (<c>/write</c>).</summary>
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>Organisation for <see cref="InfluxApiVersion.V2"/>. Default none.</summary>
    public string? Org { get; set; }

    /// <summary>Bucket for <see cref="InfluxApiVersion.V2"/>. Default: <see cref="Database"/>.</summary>
    public string? Bucket { get; set; }

    /// <summary>Timestamp precision on the wire. Default nanoseconds.</summary>
    public WritePrecision Precision { get; set; } = WritePrecision.Nanoseconds;

    /// <summary>Lines per batch. Default 5,000.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Bytes per batch (a batch is sealed once it reaches this). Default 1 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int BatchBytes { get; set; } = 1024 * 1024;

    /// <summary>A batch that is not full is sent after this long. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Write requests in flight at once. Default 2.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Gzip request bodies. Default true.</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Timeout of one write request. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a transient error (doubled per attempt, with jitter). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the retry delay (and of an honoured Retry-After). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Data directory; the spool is <c>&lt;DataDirectory&gt;/spool</c>. Default: <c>Resilience:DataDirectory</c>, else <c>data</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The disk spool.</summary>
    [ValidateObjectMembers]
    public SpoolOptions Spool { get; set; } = new();
}
