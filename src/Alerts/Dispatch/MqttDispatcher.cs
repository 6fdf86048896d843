using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Dispatch;

/// <summary>Publishes each alert version, retained, to <c>alerts/{province}/{subject}</c> through <see cref="IAlertMqttPublisher"/>.</summary>
internal sealed class MqttDispatcher : OutboxWorker
{
    private static readonly string[] s_channels = [AlertService.MqttChannel];
    private readonly IAlertMqttPublisher _publisher;

    /// <summary>Creates the dispatcher.</summary>
    /// <remarks>The last registered <see cref="IAlertMqttPublisher"/> wins (the silo's broker), whatever the order of registration.</remarks>
    public MqttDispatcher(AlertStore store, OutboxSignal signal, IEnumerable<IAlertMqttPublisher> publishers, IOptions<AlertsOptions> options, TimeProvider time, ILogger<MqttDispatcher> logger)
        : base(store, signal, options?.Value.Dispatch ?? throw new ArgumentNullException(nameof(options)), time, logger)
    {
        IAlertMqttPublisher publisher = new NullAlertMqttPublisher();
        foreach (IAlertMqttPublisher candidate in publishers ?? [])
        {
            publisher = candidate;
        }

        _publisher = publisher;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Channels => s_channels;

    /// <inheritdoc />
    protected override async Task<DeliveryResult> DeliverAsync(int channel, OutboxMessage message, CancellationToken cancellationToken)
    {
        await _publisher.PublishAsync(message.Topic ?? "alerts", Encoding.UTF8.GetBytes(message.Payload), retain: true, cancellationToken);
        return DeliveryResult.Success;
    }
}
