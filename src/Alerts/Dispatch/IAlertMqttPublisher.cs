namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Publishes an alert's current state to MQTT. The silo implements it with its embedded broker (or the
/// external client); until then <see cref="NullAlertMqttPublisher"/> accepts and drops the messages.
/// Throwing means "not published": the outbox retries.
/// </summary>
public interface IAlertMqttPublisher
{
    /// <summary>Publishes <paramref name="payload"/> (UTF-8 JSON) to <paramref name="topic"/>.</summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken);
}
