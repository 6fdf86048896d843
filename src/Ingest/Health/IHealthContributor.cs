namespace Resilience.Ingest.Health;

/// <summary>
/// A part of the silo that reports into <c>/health</c>. Register implementations as singletons
/// (<c>services.AddSingleton&lt;IHealthContributor, X&gt;()</c>); the endpoint asks each on every request, so
/// <see cref="Check"/> must be cheap and must not throw. The overall status is the worst contribution:
/// <see cref="HealthStatus.Degraded"/> still answers 200 with <c>"status": "degraded"</c>,
/// <see cref="HealthStatus.Failing"/> answers 503.
/// </summary>
public interface IHealthContributor
{
    /// <summary>The current state of this part.</summary>
    HealthContribution Check();
}
