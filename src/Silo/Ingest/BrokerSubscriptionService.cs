using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Silo.Ingest;

/// <summary>
/// Subscribes the ingest pipeline to the embedded broker in process (no loopback socket): everything under
/// <c>sensors/</c>, so a message on a topic that is neither <c>…/telemetry</c> nor <c>…/status</c> becomes a dead
/// letter with its reason instead of vanishing. Registered after the broker, so at shutdown it unsubscribes before
/// the broker stops.
/// </summary>
internal sealed class BrokerSubscriptionService(MqttBroker broker, IMqttMessageHandler handler) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = broker.SubscribeInProcess("sensors/#", handler);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
