namespace Resilience.Alerts.Dispatch;

/// <summary>One pending delivery from the outbox.</summary>
/// <param name="Seq">Outbox sequence (order of creation).</param>
/// <param name="Channel">"webhook:{url}" or "mqtt".</param>
/// <param name="AlertId">Alert id (delivery order is kept per alert and channel).</param>
/// <param name="Version">Alert version.</param>
/// <param name="IdempotencyKey">Same for every retry of the message.</param>
/// <param name="Topic">MQTT topic (mqtt channel only).</param>
/// <param name="Payload">UTF-8 JSON body.</param>
/// <param name="Attempts">Attempts made so far.</param>
internal sealed record OutboxMessage(long Seq, string Channel, long AlertId, int Version, string IdempotencyKey, string? Topic, string Payload, int Attempts);
