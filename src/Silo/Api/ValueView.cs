namespace Resilience.Silo.Api;

/// <summary>A value with its measurement time; <see cref="Current"/> is false once it is older than 3× the reporting interval.</summary>
internal sealed record ValueView(double Value, DateTimeOffset Ts, bool Current);
