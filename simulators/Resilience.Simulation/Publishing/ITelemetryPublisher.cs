namespace Resilience.Simulation.Publishing;

/// <summary>
/// How the simulators put messages on the wire: <see cref="MqttNetPublisher"/> (the MQTTnet client); tests may
/// substitute a recording one.
/// Not thread-safe: one publishing loop per instance.
/// </summary>
public interface ITelemetryPublisher : IAsyncDisposable
{
    /// <summary>Messages handed to the connection so far.</summary>
    long Sent { get; }

    /// <summary>Publishes one message (QoS fixed per publisher); may return before it is on the wire.</summary>
    ValueTask PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken);

    /// <summary>Writes everything buffered so far to the connection.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Flushes, then completes when every QoS 1 message has been acknowledged (at once at QoS 0).</summary>
    ValueTask DrainAsync(CancellationToken cancellationToken);
}
