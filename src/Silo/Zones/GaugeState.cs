namespace Resilience.Silo.Zones;

/// <summary>What a zone knows of one of its gauges.</summary>
internal sealed class GaugeState
{
    /// <summary>Gauge (sensor) id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The last hour of levels, oldest first (for the rate of rise).</summary>
    public List<GaugeSample> Samples { get; set; } = [];
}
