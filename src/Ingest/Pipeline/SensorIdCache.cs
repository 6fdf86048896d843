using System.Collections.Concurrent;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Interns sensor ids keyed by their ASCII bytes, so the steady-state topic parse allocates no string. Bounded:
/// past <see cref="Capacity"/> entries new ids are still returned, just not cached (a flood of random ids
/// must not grow memory without limit).
/// </summary>
internal sealed class SensorIdCache
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> ids.</summary>
    public SensorIdCache(int capacity)
    {
        Capacity = capacity;
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The most ids kept.</summary>
    public int Capacity { get; }

    /// <summary>How many ids are cached.</summary>
    public int Count => _ids.Count;

    /// <summary>Returns the interned string for an already validated ASCII id of at most 64 bytes.</summary>
    public string GetOrAdd(ReadOnlySpan<byte> asciiId)
    {
        Span<char> chars = stackalloc char[TopicParser.MaxSensorIdLength];
        for (int i = 0; i < asciiId.Length; i++)
        {
            chars[i] = (char)asciiId[i];
        }

        ReadOnlySpan<char> key = chars[..asciiId.Length];
        if (_lookup.TryGetValue(key, out string? id))
        {
            return id;
        }

        id = new string(key);
        if (_ids.Count < Capacity)
        {
            id = _ids.GetOrAdd(id, id);
        }

        return id;
    }
}
