namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Where decoded messages go (the grains, the InfluxDB writer). <see cref="IngestPipeline"/> awaits each call
/// before taking the next message, so a slow sink applies backpressure to the broker connection.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>
    /// Receives the readings of one message; the memory is only valid until the task completes. When
    /// <paramref name="durable"/> is true the publisher waits for an acknowledgement (QoS 1 or 2): the task must
    /// complete only once the readings are durable (in InfluxDB or the writer's spool), so an acknowledged reading
    /// survives a crash of the process right after the acknowledgement.
    /// </summary>
    ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, bool durable, CancellationToken cancellationToken);

    /// <summary>Receives one status change.</summary>
    ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken);
}
