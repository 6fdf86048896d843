namespace Resilience.Silo.Zones;

/// <summary>The persisted state of a flood zone grain.</summary>
internal sealed class ZoneState
{
    /// <summary>Gauges heard from.</summary>
    public List<GaugeState> Gauges { get; set; } = [];

    /// <summary>Zone level last written to <c>zone_status</c> (-1 = never).</summary>
    public int LastWrittenLevel { get; set; } = -1;
}
