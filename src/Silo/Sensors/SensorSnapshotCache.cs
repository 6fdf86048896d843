using System.Collections.Concurrent;

namespace Resilience.Silo.Sensors;

/// <summary>
/// The read side of the sensor listing: the latest <see cref="SensorSnapshot"/> (without history) of every
/// sensor, published by the sensor grains after each change and warmed from grain storage at start.
/// <c>GET /api/sensors</c> reads it, so listing 100,000 sensors activates no grain. The sensor grain stays the
/// owner of the facts; this is a copy that may lag one reading behind. In a cluster
/// (<see cref="SensorSnapshotExchange"/>) each entry also carries the time it was published, the cache remembers
/// which entries its own grains changed, and snapshots published on other silos are merged in when newer.
/// </summary>
internal sealed class SensorSnapshotCache
{
    private readonly ConcurrentDictionary<string, SensorSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stamps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private volatile bool _shared;

    /// <summary>Creates the cache.</summary>
    public SensorSnapshotCache(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Number of sensors held.</summary>
    public int Count => _snapshots.Count;

    /// <summary>
    /// Starts remembering publish times and changed entries, for <see cref="SensorSnapshotExchange"/>. Off on one
    /// box, where the publish path stays one dictionary write.
    /// </summary>
    public void EnableSharing() => _shared = true;

    /// <summary>Publishes a grain's current snapshot.</summary>
    public void Publish(string sensorId, SensorSnapshot snapshot)
    {
        _snapshots[sensorId] = snapshot;
        if (_shared)
        {
            _stamps[sensorId] = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _dirty[sensorId] = 0;
        }
    }

    /// <summary>Adds a stored snapshot unless a grain published a newer one.</summary>
    public void Warm(string sensorId, SensorSnapshot snapshot) => _snapshots.TryAdd(sensorId, snapshot);

    /// <summary>The last published snapshot of a sensor, if any.</summary>
    public SensorSnapshot? Get(string sensorId) => _snapshots.TryGetValue(sensorId, out SensorSnapshot? s) ? s : null;

    /// <summary>
    /// Takes the sensors changed by this silo's grains since the last call, with their snapshot and publish time.
    /// </summary>
    public List<(string SensorId, SensorSnapshot Snapshot, long StampMs)> TakeChanged(int max)
    {
        var changed = new List<(string, SensorSnapshot, long)>();
        foreach (KeyValuePair<string, byte> pair in _dirty)
        {
            if (changed.Count >= max)
            {
                break;
            }

            if (_dirty.TryRemove(pair.Key, out _) && _snapshots.TryGetValue(pair.Key, out SensorSnapshot? snapshot))
            {
                changed.Add((pair.Key, snapshot, _stamps.GetValueOrDefault(pair.Key)));
            }
        }

        return changed;
    }

    /// <summary>Puts back entries a failed exchange could not store, unless published again meanwhile.</summary>
    public void Requeue(IEnumerable<string> sensorIds)
    {
        ArgumentNullException.ThrowIfNull(sensorIds);
        foreach (string id in sensorIds)
        {
            _dirty.TryAdd(id, 0);
        }
    }

    /// <summary>
    /// Merges a snapshot published on another silo at <paramref name="stampMs"/>: taken only when newer than what
    /// this cache holds (a snapshot without a publish time, warmed from storage, counts as oldest).
    /// </summary>
    public bool Merge(string sensorId, SensorSnapshot snapshot, long stampMs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_stamps.TryGetValue(sensorId, out long mine) && mine >= stampMs)
        {
            return false;
        }

        _stamps[sensorId] = stampMs;
        _snapshots[sensorId] = snapshot;
        return true;
    }

    /// <summary>The publish time this cache holds for a sensor (0 when unknown).</summary>
    public long StampOf(string sensorId) => _stamps.GetValueOrDefault(sensorId);
}
