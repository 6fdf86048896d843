namespace Resilience.Alerts.Lifecycle;

/// <summary>A list filter.</summary>
/// <param name="ActiveOnly">Only open (not resolved) alerts. Default true.</param>
/// <param name="Province">Only this province.</param>
/// <param name="Subject">Only this sensor or zone.</param>
/// <param name="Limit">At most this many. Default 500.</param>
internal sealed record AlertQuery(bool ActiveOnly = true, string? Province = null, string? Subject = null, int Limit = 500);
