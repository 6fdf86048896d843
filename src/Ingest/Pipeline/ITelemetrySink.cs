namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Where decoded messages go (the grains, the InfluxDB writer). <see cref="IngestPipeline"/> awaits each call
/// before taking the next message, so a slow sink applies backpressure to the broker connection.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>Receives the readings of one message; the memory is only valid until the task completes.</summary>
    ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, CancellationToken cancellationToken);

    /// <summary>Receives one status change.</summary>
    ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken);
}
