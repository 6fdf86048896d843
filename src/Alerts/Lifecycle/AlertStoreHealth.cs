namespace Resilience.Alerts.Lifecycle;

/// <summary>What <c>/health</c> says about the alert ledger.</summary>
/// <param name="Ok">True when the last commits succeeded and nothing waits for a retry.</param>
/// <param name="Reason">Why not (store full, store failing), or null.</param>
/// <param name="Since">When the fault began, or null.</param>
/// <param name="PendingCommits">Transitions waiting for a retry.</param>
/// <param name="Store">Where the ledger is (file path or host/database).</param>
internal sealed record AlertStoreHealth(bool Ok, string? Reason, DateTimeOffset? Since, long PendingCommits, string Store);
