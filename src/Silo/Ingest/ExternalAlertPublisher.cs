using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Silo.Ingest;

/// <summary>
/// Publishes alert messages (<c>alerts/{province}/{subject}</c>, QoS 1, retained) on the external broker through
/// the MQTTnet client when the silo runs against one; also on the embedded broker when that is enabled too and the
/// alert ledger is the silo's own, so its local subscribers see them (with a shared ledger each silo's
/// <see cref="AlertFeedFollower"/> keeps its embedded broker current instead). Throws while the external broker is
/// unreachable, and the alert outbox retries.
/// </summary>
internal sealed class ExternalAlertPublisher(
    ExternalMqttPublisher external,
    MqttBroker broker,
    IOptions<MqttBrokerOptions> brokerOptions,
    AlertStore store,
    IOptions<AlertsOptions> alertsOptions) : IAlertMqttPublisher
{
    private readonly bool _alsoEmbedded = brokerOptions.Value.Enabled && !AlertFeedFollower.Runs(store.Database, alertsOptions.Value);

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        await external.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, retain, cancellationToken);
        if (_alsoEmbedded)
        {
            await broker.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, retain, cancellationToken);
        }
    }
}
