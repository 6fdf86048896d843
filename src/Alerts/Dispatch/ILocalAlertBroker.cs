namespace Resilience.Alerts.Dispatch;

/// <summary>
/// This silo's own embedded broker, as opposed to <see cref="IAlertMqttPublisher"/> (the outbox's target: one broker
/// the whole cluster shares, or the embedded one on a single box). When the alert ledger is shared, every silo's
/// <see cref="AlertFeedFollower"/> keeps the retained <c>alerts/{province}/{subject}</c> topics of its own embedded
/// broker current, because the outbox delivers each message through one silo only. The silo registers it when its
/// embedded broker runs.
/// </summary>
public interface ILocalAlertBroker
{
    /// <summary>Publishes <paramref name="payload"/> (UTF-8 JSON) to <paramref name="topic"/>, retained. Throwing means "not published".</summary>
    ValueTask PublishRetainedAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
