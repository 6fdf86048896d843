using System.Collections.Concurrent;

namespace Resilience.Silo.Grains;

/// <summary>Grain storage in memory: for unit tests and for a silo run without a data directory.</summary>
internal sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, string), byte[]> _records = new();

    /// <summary>Number of records.</summary>
    public int Count => _records.Count;

    /// <summary>Number of writes so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    private int _writes;

    public ValueTask<byte[]?> ReadAsync(string stateName, string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_records.TryGetValue((stateName, key), out byte[]? data) ? data : null);

    public ValueTask WriteAsync(string stateName, string key, byte[] data, CancellationToken cancellationToken)
    {
        _records[(stateName, key)] = data;
        Interlocked.Increment(ref _writes);
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(string stateName, string key, CancellationToken cancellationToken)
    {
        _records.TryRemove((stateName, key), out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
