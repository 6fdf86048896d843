using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>
/// One decoded telemetry message for a sensor (copied out of the MQTT buffers). Immutable: Orleans passes it to
/// the grain without a deep copy.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.sensor-reading")]
internal sealed class SensorReading(long timestampMs, long seq, QuantityValue[] values, bool timestampFromDevice = true)
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
}
