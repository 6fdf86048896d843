using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Web;

/// <summary>Kestrel limits of the HTTP edge (<c>Resilience:Web:Limits</c>); the defaults suit one province's silo.</summary>
public sealed class WebLimitsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Web:Limits";

    /// <summary>Open HTTP connections at most (SSE streams included). Default 2000.</summary>
    [Range(10, 1_000_000)]
    public int MaxConcurrentConnections { get; set; } = 2000;

    /// <summary>Largest request body in bytes (login forms and alert commands are small). Default 65536.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest total size of a request's headers in bytes. Default 32768.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Most headers in a request. Default 64.</summary>
    [Range(8, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Longest request line in bytes. Default 8192.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Time a client has to send the request headers, in seconds (slowloris). Default 15.</summary>
    [Range(1, 600)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 15;

    /// <summary>Idle time before an unused keep-alive connection is closed, in seconds. Default 120.</summary>
    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 120;
}
