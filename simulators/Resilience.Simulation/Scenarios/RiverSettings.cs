namespace Resilience.Simulation.Scenarios;

/// <summary>
/// How a river answers rain: lagged rain fills a linear reservoir that drains with <see cref="RecessionHours"/>;
/// the reservoir's peak over the scenario is scaled to <see cref="PeakAlarm"/> in alarm units (0 = normal
/// baseline, 1 = level I, 2 = II, 3 = III), which each gauge maps onto its own alarm levels.
/// </summary>
public sealed class RiverSettings
{
    /// <summary>The highest alarm-unit value the river reaches in the scenario. Default 0.4 (well below I).</summary>
    public double PeakAlarm { get; set; } = 0.4;

    /// <summary>Delay between rain and the river's response, hours. Default 3.</summary>
    public double LagHours { get; set; } = 3;

    /// <summary>Reservoir time constant, hours (how slowly the river recedes). Default 8.</summary>
    public double RecessionHours { get; set; } = 8;
}
