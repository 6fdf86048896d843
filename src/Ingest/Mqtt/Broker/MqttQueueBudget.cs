namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Bytes queued over all sessions, capped at <see cref="MqttBrokerOptions.MaxQueuedBytesTotal"/>.</summary>
internal sealed class MqttQueueBudget
{
    private readonly long _max;
    private long _used;

    public MqttQueueBudget(long max)
    {
        _max = max;
    }

    public long Used => Volatile.Read(ref _used);

    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) > _max)
        {
            Interlocked.Add(ref _used, -bytes);
            return false;
        }

        return true;
    }

    public void Return(long bytes) => Interlocked.Add(ref _used, -bytes);
}
