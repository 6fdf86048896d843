namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Handle returned by <see cref="MqttBroker.SubscribeInProcess"/>; disposing it unsubscribes.</summary>
internal sealed class MqttInProcessSubscription : IDisposable
{
    private readonly MqttTopicTree _tree;
    private readonly string _filter;
    private IMqttMessageHandler? _handler;

    public MqttInProcessSubscription(MqttTopicTree tree, string filter, IMqttMessageHandler handler)
    {
        _tree = tree;
        _filter = filter;
        _handler = handler;
    }

    public void Dispose()
    {
        IMqttMessageHandler? handler = Interlocked.Exchange(ref _handler, null);
        if (handler is not null)
        {
            _tree.Remove(_filter, null, handler);
        }
    }
}
