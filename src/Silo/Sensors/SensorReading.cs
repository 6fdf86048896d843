namespace Resilience.Silo.Sensors;

/// <summary>One decoded telemetry message for a sensor (copied out of the MQTT buffers).</summary>
internal sealed class SensorReading(long timestampMs, long seq, QuantityValue[] values, bool timestampFromDevice = true)
{
    /// <summary>Measurement time, Unix ms (the receive time when the payload had none).</summary>
    public long TimestampMs { get; } = timestampMs;

    /// <summary>The device's sequence number, or -1 when absent.</summary>
    public long Seq { get; } = seq;

    /// <summary>False when the payload had no <c>ts</c> and the receive time stands in.</summary>
    public bool TimestampFromDevice { get; } = timestampFromDevice;

    /// <summary>The values; at least one.</summary>
    public QuantityValue[] Values { get; } = values;
}
