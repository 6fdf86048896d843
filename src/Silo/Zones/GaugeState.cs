using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Zones;

/// <summary>What a zone knows of one of its gauges.</summary>
[GenerateSerializer]
[Alias("resilience.gauge-state")]
internal sealed class GaugeState
{
    /// <summary>Gauge (sensor) id.</summary>
    [Id(0)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The last hour of levels, oldest first (for the rate of rise).</summary>
    [Id(1)]
    public List<GaugeSample> Samples { get; set; } = [];

    /// <summary>The gauge's held alarm level (hysteresis, <see cref="ZoneLevelTracker"/>).</summary>
    [Id(2)]
    public GaugeLevelState Held { get; set; }
}
