namespace Resilience.Silo.Api;

/// <summary>A value with its measurement time.</summary>
internal sealed record ValueView(double Value, DateTimeOffset Ts);
