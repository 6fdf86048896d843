namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>One subscription in the topic tree: a network session's or an in-process handler's.</summary>
internal sealed class MqttSubscriber
{
    public MqttSubscriber(string filter, MqttSession? session, IMqttMessageHandler? handler, MqttQualityOfService qos)
    {
        Filter = filter;
        Session = session;
        Handler = handler;
        Qos = qos;
    }

    /// <summary>The filter as subscribed (including any <c>$share/group/</c> prefix).</summary>
    public string Filter { get; }

    public MqttSession? Session { get; }

    public IMqttMessageHandler? Handler { get; }

    public MqttQualityOfService Qos { get; }

    public bool NoLocal { get; init; }

    public bool RetainAsPublished { get; init; }

    public int SubscriptionId { get; init; }

    /// <summary>Set once the client unsubscribed (or its session ended): queued messages for it are no longer sent.</summary>
    public bool Removed
    {
        get => Volatile.Read(ref _removed);
        set => Volatile.Write(ref _removed, value);
    }

    private bool _removed;
}
