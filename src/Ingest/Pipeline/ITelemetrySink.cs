using Resilience.Ingest.Mqtt;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Where decoded messages go (the grains, the InfluxDB writer). <see cref="IngestPipeline"/> awaits each call
/// before taking the next message, so a slow sink applies backpressure to the broker connection.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>
    /// Receives the readings of one message; the memory is only valid until the task completes. When the publisher
    /// waits for an acknowledgement (QoS 1 or 2), <paramref name="acknowledgement"/> is not null: the sink takes the
    /// readings in order before its task completes, and defers the acknowledgement (<see cref="MqttAcknowledgement.DeferUntil"/>)
    /// until they are durable (in InfluxDB or a writer's spool), so an acknowledged reading survives a crash of any
    /// process right after the acknowledgement.
    /// </summary>
    ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, MqttAcknowledgement? acknowledgement, CancellationToken cancellationToken);

    /// <summary>Receives one status change.</summary>
    ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken);
}
