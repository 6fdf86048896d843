using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Starts the broker with the host (when enabled) and stops it gracefully on shutdown (SIGTERM).</summary>
internal sealed class MqttBrokerHostedService : IHostedService
{
    private readonly MqttBroker _broker;
    private readonly MqttBrokerOptions _options;

    public MqttBrokerHostedService(MqttBroker broker, IOptions<MqttBrokerOptions> options)
    {
        _broker = broker;
        _options = options.Value;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _options.Enabled ? _broker.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _options.Enabled ? _broker.StopAsync(cancellationToken) : Task.CompletedTask;
}
