namespace Resilience.IntegrationTests.Web;

/// <summary>TEST-ONLY: the documented <c>{ by, note }</c> body of ack/resolve.</summary>
internal sealed record FakeActionRequest(string By, string? Note);
