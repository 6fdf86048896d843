using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Dispatch;

/// <summary>Limits of the live alert stream (<c>Resilience:Alerts:Stream</c>).</summary>
internal sealed class AlertStreamOptions
{
    /// <summary>Open SSE streams at most; more answer 503 with Retry-After. Default 500.</summary>
    [Range(1, 100_000)]
    public int MaxClients { get; set; } = 500;

    /// <summary>Open SSE streams per client address at most; more answer 429. Default 8 (a few consoles behind one NAT).</summary>
    [Range(1, 100_000)]
    public int MaxClientsPerAddress { get; set; } = 8;
}
