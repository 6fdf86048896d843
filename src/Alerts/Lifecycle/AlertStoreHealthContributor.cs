using Resilience.Ingest.Health;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// Reports the alert ledger into <c>/health</c> as <c>alertStore</c>: degraded, with the reason, while commits fail
/// or wait for a retry (<see cref="AlertService.Health"/>); the silo keeps serving and ingesting meanwhile.
/// </summary>
internal sealed class AlertStoreHealthContributor(AlertService alerts) : IHealthContributor
{
    public HealthContribution Check()
    {
        AlertStoreHealth health = alerts.Health();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["store"] = health.Store,
            ["pendingCommits"] = health.PendingCommits,
        };
        if (health.Since is { } since)
        {
            data["since"] = since;
        }

        return health.Ok
            ? new HealthContribution("alertStore", HealthStatus.Ok, null, data)
            : new HealthContribution("alertStore", HealthStatus.Degraded,
                health.Reason ?? $"{health.PendingCommits} alert transition(s) waiting for a retry", data);
    }
}
