namespace Resilience.Ingest.Health;

/// <summary>One part's entry under <c>components</c> in <c>/health</c>.</summary>
/// <param name="Name">The component name (JSON key), e.g. <c>disk</c>.</param>
/// <param name="Status">Its status.</param>
/// <param name="Detail">Why it is not ok, for operators; null when ok.</param>
/// <param name="Data">Figures worth showing (free bytes, failure counts); may be null.</param>
public sealed record HealthContribution(string Name, HealthStatus Status, string? Detail = null, IReadOnlyDictionary<string, object>? Data = null);
