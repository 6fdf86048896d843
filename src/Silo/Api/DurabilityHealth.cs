using Resilience.Alerts.Lifecycle;

namespace Resilience.Silo.Api;

/// <summary>
/// The durability part of <c>/health</c>: the alert ledger (commits failing or waiting for a retry) and the data
/// directory (nearly no space left). Either one makes the silo "degraded": it still serves and ingests, but an
/// operator must act. The reasons are spelled out so the fault is visible without reading logs.
/// </summary>
internal static class DurabilityHealth
{
    /// <summary>Below this many free bytes the data directory counts as full (SQLite, spool and dead letters live there).</summary>
    public const long MinFreeBytes = 8L * 1024 * 1024;

    /// <summary>The components to add to <c>/health</c>, and the reasons for "degraded" (empty when all is well).</summary>
    public static (Dictionary<string, object> Components, List<string> Reasons) Check(AlertService alerts, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var reasons = new List<string>();
        AlertStoreHealth ledger = alerts.Health();
        if (!ledger.Ok)
        {
            reasons.Add(ledger.Reason ?? $"alert store: {ledger.PendingCommits} transition(s) waiting for a retry");
        }

        long? free = FreeBytes(dataDirectory);
        bool full = free is < MinFreeBytes;
        if (full)
        {
            reasons.Add($"data directory full: {free} bytes free in {Path.GetFullPath(dataDirectory)}");
        }

        var components = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["alertStore"] = new
            {
                status = ledger.Ok ? "ok" : "degraded",
                store = ledger.Store,
                reason = ledger.Reason,
                since = ledger.Since,
                pendingCommits = ledger.PendingCommits,
            },
            ["dataDirectory"] = new { status = full ? "degraded" : "ok", path = Path.GetFullPath(dataDirectory), freeBytes = free },
        };
        return (components, reasons);
    }

    private static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
