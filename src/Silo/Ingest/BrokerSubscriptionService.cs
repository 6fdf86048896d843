using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Silo.Ingest;

/// <summary>
/// Subscribes the ingest pipeline to the embedded broker in process (no loopback socket): sensor telemetry and
/// status topics. Registered after the broker, so at shutdown it unsubscribes before the broker stops.
/// </summary>
internal sealed class BrokerSubscriptionService(MqttBroker broker, IMqttMessageHandler handler) : IHostedService
{
    private IDisposable? _telemetry;
    private IDisposable? _status;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _telemetry = broker.SubscribeInProcess("sensors/+/+/telemetry", handler);
        _status = broker.SubscribeInProcess("sensors/+/+/status", handler);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _telemetry?.Dispose();
        _status?.Dispose();
        return Task.CompletedTask;
    }
}
