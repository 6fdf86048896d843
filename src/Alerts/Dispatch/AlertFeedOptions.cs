using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// The cluster's alert feed (<c>Resilience:Alerts:Feed</c>): how each silo tails the shared ledger's audit trail
/// (<see cref="AlertFeedFollower"/>). Used only when the ledger is shared (<c>Resilience:Storage:Provider=postgres</c>).
/// </summary>
internal sealed class AlertFeedOptions
{
    /// <summary>Tail the shared ledger (SSE and this silo's embedded broker). Default true; without a shared ledger it never runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the ledger is read for changes committed by other silos. Default 200 ms: another silo's change
    /// reaches this silo's SSE clients and broker within about this long (this silo's own commits go to SSE at once,
    /// and wake the follower for its broker).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a missing sequence number (a transaction of another silo that took its number but has not committed
    /// yet, or rolled back) is looked for before the follower gives up on it. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Audit entries read per query. Default 500.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
