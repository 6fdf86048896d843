namespace Resilience.Silo.Zones;

/// <summary>The persisted state of a flood zone grain.</summary>
[GenerateSerializer]
[Alias("resilience.zone-state")]
internal sealed class ZoneState
{
    /// <summary>Gauges heard from.</summary>
    [Id(0)]
    public List<GaugeState> Gauges { get; set; } = [];

    /// <summary>Zone level last written to <c>zone_status</c> (-1 = never).</summary>
    [Id(1)]
    public int LastWrittenLevel { get; set; } = -1;
}
