using System.Collections.Concurrent;

namespace Resilience.Silo.Sensors;

/// <summary>
/// The read side of the sensor listing: the latest <see cref="SensorSnapshot"/> (without history) of every
/// sensor this silo has heard about, published by the sensor grains after each change and warmed from grain
/// storage at start. <c>GET /api/sensors</c> reads it, so listing 100,000 sensors activates no grain. The sensor
/// grain stays the owner of the facts; this is a copy that may lag one reading behind.
/// </summary>
internal sealed class SensorSnapshotCache
{
    private readonly ConcurrentDictionary<string, SensorSnapshot> _snapshots = new(StringComparer.Ordinal);

    /// <summary>Number of sensors held.</summary>
    public int Count => _snapshots.Count;

    /// <summary>Publishes a grain's current snapshot.</summary>
    public void Publish(string sensorId, SensorSnapshot snapshot) => _snapshots[sensorId] = snapshot;

    /// <summary>Adds a stored snapshot unless a grain published a newer one.</summary>
    public void Warm(string sensorId, SensorSnapshot snapshot) => _snapshots.TryAdd(sensorId, snapshot);

    /// <summary>The last published snapshot of a sensor, if any.</summary>
    public SensorSnapshot? Get(string sensorId) => _snapshots.TryGetValue(sensorId, out SensorSnapshot? s) ? s : null;
}
