using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Dispatch;

/// <summary>Outbox delivery settings (<c>Resilience:Alerts:Dispatch</c>).</summary>
internal sealed class DispatchOptions
{
    /// <summary>How often the workers look for due messages when not woken by a new one. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts before a message is dead-lettered. Default 20 (with the default backoff ≈ 1 h 20 min).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>First retry delay; doubled per attempt, with ±20 % jitter. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest retry delay. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one webhook request. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a worker holds the messages it took before another worker (another silo) may take them, when it
    /// died mid-delivery. Must exceed <see cref="RequestTimeout"/>, so a slow but live worker keeps its claim and
    /// order per alert holds. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages taken per channel per pass. Default 64.</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 64;

    /// <summary>How long an alert of warning severity or above may stay unacknowledged before the escalation notice. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AcknowledgeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the escalation-notice worker checks. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan NoticeCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
