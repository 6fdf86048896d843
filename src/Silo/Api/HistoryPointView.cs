namespace Resilience.Silo.Api;

/// <summary>One reading in a sensor's history.</summary>
internal sealed record HistoryPointView(DateTimeOffset Ts, Dictionary<string, double> Values);
