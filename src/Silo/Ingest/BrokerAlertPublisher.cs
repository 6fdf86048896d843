using Resilience.Alerts.Dispatch;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Silo.Ingest;

/// <summary>
/// Publishes alert messages (<c>alerts/{province}/{subject}</c>) on the embedded broker, QoS 1: the outbox's target on
/// a single box, and the cluster feed's target (<see cref="ILocalAlertBroker"/>) when the alert ledger is shared.
/// </summary>
internal sealed class BrokerAlertPublisher(MqttBroker broker) : IAlertMqttPublisher, ILocalAlertBroker
{
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken) =>
        broker.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, retain, cancellationToken);

    public ValueTask PublishRetainedAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        broker.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, retain: true, cancellationToken);
}
