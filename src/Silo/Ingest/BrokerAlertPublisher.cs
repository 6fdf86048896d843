using Resilience.Alerts.Dispatch;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Silo.Ingest;

/// <summary>Publishes alert messages (<c>alerts/{province}/{subject}</c>) on the embedded broker, QoS 1.</summary>
internal sealed class BrokerAlertPublisher(MqttBroker broker) : IAlertMqttPublisher
{
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken) =>
        broker.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, retain, cancellationToken);
}
