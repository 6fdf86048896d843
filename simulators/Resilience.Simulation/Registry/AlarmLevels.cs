namespace Resilience.Simulation.Registry;

/// <summary>A gauge's flood alarm levels in metres above its own datum (Decision 05/2020/QĐ-TTg: I &lt; II &lt; III).</summary>
public sealed record AlarmLevels(double I, double II, double III);
