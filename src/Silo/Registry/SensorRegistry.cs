using System.Collections.Frozen;

namespace Resilience.Silo.Registry;

/// <summary>An immutable, validated snapshot of the sensor registry. A reload swaps in a new snapshot.</summary>
internal sealed class SensorRegistry
{
    public SensorRegistry(IReadOnlyList<ProvinceInfo> provinces, IReadOnlyList<ZoneInfo> zones, IReadOnlyList<SensorInfo> sensors, string source)
    {
        Provinces = provinces;
        Zones = zones;
        Sensors = sensors;
        Source = source;
        ProvincesById = provinces.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        ZonesById = zones.ToFrozenDictionary(z => z.Id, StringComparer.Ordinal);
        SensorsById = sensors.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
    }

    /// <summary>Where the snapshot was read from.</summary>
    public string Source { get; }

    public IReadOnlyList<ProvinceInfo> Provinces { get; }

    public IReadOnlyList<ZoneInfo> Zones { get; }

    public IReadOnlyList<SensorInfo> Sensors { get; }

    public FrozenDictionary<string, ProvinceInfo> ProvincesById { get; }

    public FrozenDictionary<string, ZoneInfo> ZonesById { get; }

    public FrozenDictionary<string, SensorInfo> SensorsById { get; }

    /// <summary>An empty registry.</summary>
    public static SensorRegistry Empty { get; } = new([], [], [], "(empty)");

    /// <summary>Finds a sensor by id.</summary>
    public bool TryGetSensor(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SensorInfo? sensor) =>
        SensorsById.TryGetValue(id, out sensor);

    /// <summary>Finds a sensor by its UTF-8 id (no string allocated on a hit).</summary>
    public bool TryGetSensor(ReadOnlySpan<char> id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SensorInfo? sensor) =>
        SensorsById.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out sensor);
}
