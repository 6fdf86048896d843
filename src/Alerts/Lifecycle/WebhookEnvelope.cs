namespace Resilience.Alerts.Lifecycle;

/// <summary>The webhook body: what happened, the idempotency key (also sent as a header) and the alert.</summary>
/// <param name="Type">"alert" for a new version, "alert.unacknowledged" for an escalation notice.</param>
/// <param name="IdempotencyKey">Unique per alert version (and notice).</param>
/// <param name="Alert">The alert at that version.</param>
internal sealed record WebhookEnvelope(string Type, string IdempotencyKey, AlertRecord Alert);
