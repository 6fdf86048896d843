namespace Resilience.LoadGenerator;

/// <summary>The broker the load goes to, and the user the connections authenticate as (none when <see cref="Username"/> is null).</summary>
internal sealed record LoadTarget(string Host, int Port, string? Username, string? Password);
