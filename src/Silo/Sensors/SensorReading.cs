using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>
/// One decoded telemetry message for a sensor (copied out of the MQTT buffers). Immutable: Orleans passes it to
/// the grain without a deep copy.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.sensor-reading")]
internal sealed class SensorReading(long timestampMs, long seq, QuantityValue[] values, bool timestampFromDevice = true, bool durable = false)
{
    /// <summary>Measurement time, Unix ms (the receive time when the payload had none).</summary>
    [Id(0)]
    public long TimestampMs { get; } = timestampMs;

    /// <summary>The device's sequence number, or -1 when absent.</summary>
    [Id(1)]
    public long Seq { get; } = seq;

    /// <summary>False when the payload had no <c>ts</c> and the receive time stands in.</summary>
    [Id(2)]
    public bool TimestampFromDevice { get; } = timestampFromDevice;

    /// <summary>The values; at least one.</summary>
    [Id(3)]
    public QuantityValue[] Values { get; } = values;

    /// <summary>
    /// True when the publisher waits for an acknowledgement (QoS 1 or 2): the grain returns only once the
    /// reading's points are durable (InfluxDB answered 204, or they are in the spool), so the acknowledgement
    /// sent after the call promises the reading survives a crash of either silo.
    /// </summary>
    [Id(4)]
    public bool Durable { get; } = durable;
}
