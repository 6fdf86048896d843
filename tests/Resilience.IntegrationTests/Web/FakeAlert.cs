namespace Resilience.IntegrationTests.Web;

/// <summary>TEST-ONLY: an alert in the documented /api/alerts shape.</summary>
internal sealed record FakeAlert(
    string Id,
    string Subject,
    string Province,
    string Rule,
    string Severity,
    string State,
    double? Value,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? Note);
