namespace Resilience.IntegrationTests.Alerts;

/// <summary>One request the webhook receiver got.</summary>
internal sealed record ReceivedWebhook(string Key, string Type, long AlertId, int Version, string Body, bool SignatureValid);
