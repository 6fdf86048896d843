using System.Diagnostics.Metrics;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Counters on the <c>Resilience.Ingest.Mqtt</c> meter, mirrored in plain fields for snapshots.</summary>
internal sealed class MqttBrokerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Resilience.Ingest.Mqtt";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _rejected;
    private long _connections;
    private long _receivedCount;
    private long _deliveredCount;
    private long _droppedCount;
    private long _rejectedCount;

    public MqttBrokerMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableUpDownCounter("mqtt.broker.connections", () => Volatile.Read(ref _connections), "{connection}", "Open MQTT connections.");
        _received = _meter.CreateCounter<long>("mqtt.broker.messages.received", "{message}", "PUBLISH messages accepted.");
        _delivered = _meter.CreateCounter<long>("mqtt.broker.messages.delivered", "{message}", "Messages delivered to subscribers.");
        _dropped = _meter.CreateCounter<long>("mqtt.broker.messages.dropped", "{message}", "Messages dropped (full session queue, failed handler).");
        _rejected = _meter.CreateCounter<long>("mqtt.broker.rejected", "{event}", "Connections, packets and publishes refused.");
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void Received()
    {
        Interlocked.Increment(ref _receivedCount);
        _received.Add(1);
    }

    public void Delivered(int count = 1)
    {
        Interlocked.Add(ref _deliveredCount, count);
        _delivered.Add(count);
    }

    public void Dropped()
    {
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1);
    }

    public void Rejected()
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1);
    }

    public MqttBrokerMetricsSnapshot Snapshot() => new(
        Volatile.Read(ref _connections),
        Volatile.Read(ref _receivedCount),
        Volatile.Read(ref _deliveredCount),
        Volatile.Read(ref _droppedCount),
        Volatile.Read(ref _rejectedCount));

    public void Dispose() => _meter.Dispose();
}
