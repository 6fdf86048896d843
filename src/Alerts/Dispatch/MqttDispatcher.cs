using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Storage;

namespace Resilience.Alerts.Dispatch;

/// <summary>Publishes each alert version, retained, to <c>alerts/{province}/{subject}</c> through <see cref="IAlertMqttPublisher"/>.</summary>
internal sealed class MqttDispatcher : OutboxWorker
{
    private static readonly string[] s_channels = [AlertService.MqttChannel];
    private readonly IAlertMqttPublisher _publisher;
    private readonly bool _followerOwnsTarget;

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
        _followerOwnsTarget = FollowerOwnsTarget(store.Database, options.Value, publishers ?? []);
    }

    /// <summary>
    /// True when the outbox's MQTT target is this silo's own embedded broker (or nothing) and the ledger is shared:
    /// then every silo's <see cref="AlertFeedFollower"/> publishes on its own broker, and the outbox must not (it would
    /// reach one silo's broker only, and a late retry could put an older version back).
    /// </summary>
    public static bool FollowerOwnsTarget(StateDatabase database, AlertsOptions options, IEnumerable<IAlertMqttPublisher> publishers)
    {
        ArgumentNullException.ThrowIfNull(publishers);
        IAlertMqttPublisher? target = null;
        foreach (IAlertMqttPublisher candidate in publishers)
        {
            target = candidate;
        }

        return AlertFeedFollower.Runs(database, options) && target is null or ILocalAlertBroker;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Channels => s_channels;

    /// <inheritdoc />
    protected override async Task<DeliveryResult> DeliverAsync(int channel, OutboxMessage message, CancellationToken cancellationToken)
    {
        if (_followerOwnsTarget)
        {
            return DeliveryResult.Success; // queued before the cluster's feed took over (or by another silo): the feed publishes it
        }

        await _publisher.PublishAsync(message.Topic ?? "alerts", Encoding.UTF8.GetBytes(message.Payload), retain: true, cancellationToken);
        return DeliveryResult.Success;
    }
}
