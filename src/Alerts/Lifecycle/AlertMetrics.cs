using System.Diagnostics.Metrics;

namespace Resilience.Alerts.Lifecycle;

/// <summary>The alerts area's meter ("Resilience.Alerts"): lifecycle changes and outbox outcomes, for /metrics and the dashboards.</summary>
internal static class AlertMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Resilience.Alerts";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Alert changes committed, tagged by action (raised, escalated, …).</summary>
    public static Counter<long> Changes { get; } = s_meter.CreateCounter<long>("resilience.alerts.changes", description: "Alert changes committed");

    /// <summary>Outbox messages delivered, tagged by channel kind (webhook, mqtt).</summary>
    public static Counter<long> Delivered { get; } = s_meter.CreateCounter<long>("resilience.alerts.delivered", description: "Outbox messages delivered");

    /// <summary>Failed delivery attempts that will be retried.</summary>
    public static Counter<long> Retries { get; } = s_meter.CreateCounter<long>("resilience.alerts.retries", description: "Failed delivery attempts to retry");

    /// <summary>Outbox messages dead-lettered.</summary>
    public static Counter<long> DeadLetters { get; } = s_meter.CreateCounter<long>("resilience.alerts.dead_letters", description: "Outbox messages dead-lettered");

    /// <summary>The channel kind of an outbox channel name (the part before the colon).</summary>
    public static KeyValuePair<string, object?> Channel(string channel)
    {
        int colon = channel.IndexOf(':', StringComparison.Ordinal);
        return new KeyValuePair<string, object?>("channel", colon < 0 ? channel : channel[..colon]);
    }
}
