using Resilience.Ingest.Storage;

namespace Resilience.Silo.Ingest;

/// <summary>
/// The point writer used until the InfluxDB writer is registered (<c>AddInfluxWriter</c> replaces it): it
/// counts points and drops them.
/// </summary>
internal sealed class NullPointWriter : IPointWriter
{
    private long _points;

    /// <summary>Points accepted so far.</summary>
    public long Points => Interlocked.Read(ref _points);

    public bool TryWrite(in PointData point)
    {
        Interlocked.Increment(ref _points);
        return true;
    }

    public ValueTask WaitToWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
