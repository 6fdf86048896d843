using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// At start, publishes every open alert's current state, retained, to <c>alerts/{province}/{subject}</c>: the
/// broker's retained messages do not survive a restart, and a siren or dashboard subscribing afterwards must still
/// see the alarms that are open. Runs inside <see cref="StartAsync"/>, before the MQTT dispatcher starts, so a newer
/// version from the outbox always lands after it. A failure is logged; the start goes on (the alerts themselves
/// are safe in the store and the API). With a shared ledger it does nothing: <see cref="AlertFeedFollower"/> republishes
/// on the silo's own embedded broker, and a shared external broker keeps its retained states when one silo restarts
/// (republishing there would race the other silos' outbox deliveries and could put an older version back).
/// </summary>
internal sealed partial class RetainedAlertRepublisher : IHostedService
{
    private readonly IAlertService _alerts;
    private readonly IAlertMqttPublisher _publisher;
    private readonly bool _enabled;
    private readonly ILogger<RetainedAlertRepublisher> _logger;

    /// <summary>Creates the republisher; the last registered <see cref="IAlertMqttPublisher"/> wins, as in <see cref="MqttDispatcher"/>.</summary>
    public RetainedAlertRepublisher(IAlertService alerts, AlertStore store, IEnumerable<IAlertMqttPublisher> publishers, IOptions<AlertsOptions> options, ILogger<RetainedAlertRepublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _alerts = alerts;
        IAlertMqttPublisher publisher = new NullAlertMqttPublisher();
        foreach (IAlertMqttPublisher candidate in publishers ?? [])
        {
            publisher = candidate;
        }

        _publisher = publisher;
        _enabled = options.Value.Mqtt && !AlertFeedFollower.Runs(store.Database, options.Value);
        _logger = logger;
    }

    /// <summary>Open alerts republished by the last start.</summary>
    public int Republished { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }

        try
        {
            IReadOnlyList<AlertRecord> open = await _alerts.ListAsync(new AlertQuery(ActiveOnly: true, Limit: 10_000), cancellationToken);
            for (int i = open.Count - 1; i >= 0; i--)
            {
                // The list is newest change first; publishing oldest first leaves each topic on its subject's latest change.
                AlertRecord alert = open[i];
                byte[] payload = Encoding.UTF8.GetBytes(AlertStore.Serialize(alert.ForPublic()));
                await _publisher.PublishAsync($"alerts/{alert.Province}/{alert.Subject}", payload, retain: true, cancellationToken);
            }

            Republished = open.Count;
            Log.Republished(_logger, open.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RepublishFailed(_logger, ex);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
