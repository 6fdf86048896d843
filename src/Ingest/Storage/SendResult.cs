namespace Resilience.Ingest.Storage;

/// <summary>How InfluxDB answered one write request.</summary>
internal enum SendStatus
{
    /// <summary>2xx: every line is stored.</summary>
    Ok,

    /// <summary>Network error, timeout, 5xx, 429, or a configuration error (401/403/404): retry later.</summary>
    Transient,

    /// <summary>Another 4xx (400, 413, 422…): something in the lines; isolate them.</summary>
    Rejected,
}

/// <summary>The outcome of one write request.</summary>
internal readonly record struct SendResult(SendStatus Status, int StatusCode, string? Error, TimeSpan? RetryAfter);
