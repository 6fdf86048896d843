namespace Resilience.Ingest.Pipeline;

/// <summary>The default sink until another area registers its own: discards everything (counters still count).</summary>
internal sealed class NullTelemetrySink : ITelemetrySink
{
    /// <inheritdoc />
    public ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, Resilience.Ingest.Mqtt.MqttAcknowledgement? acknowledgement, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
