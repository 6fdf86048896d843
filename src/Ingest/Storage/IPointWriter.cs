namespace Resilience.Ingest.Storage;

/// <summary>
/// The only path by which points reach InfluxDB. Points are encoded at once (invalid points throw
/// <see cref="ArgumentException"/> at the call site), batched, retried and spooled to disk while InfluxDB is
/// unreachable, so an accepted point is never lost.
/// </summary>
public interface IPointWriter
{
    /// <summary>Encodes and enqueues one point; false when the writer is full (await <see cref="WaitToWriteAsync"/>).</summary>
    bool TryWrite(in PointData point);

    /// <summary>Completes when <see cref="TryWrite"/> may succeed again (backpressure).</summary>
    ValueTask WaitToWriteAsync(CancellationToken cancellationToken);

    /// <summary>Completes when every point accepted before the call is durable: written to InfluxDB or to the spool.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
