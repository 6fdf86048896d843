namespace Resilience.Ingest.Mqtt;

/// <summary>
/// An in-process consumer of MQTT messages. The embedded broker (and the client, when consuming from an
/// external broker) awaits <see cref="HandleAsync"/> before taking more from the same connection, so a slow
/// handler applies backpressure to the publishers instead of dropping messages.
/// </summary>
public interface IMqttMessageHandler
{
    /// <summary>Handles one message; the views in <paramref name="message"/> die when the task completes.</summary>
    ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken);
}
