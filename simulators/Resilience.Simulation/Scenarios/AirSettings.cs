namespace Resilience.Simulation.Scenarios;

/// <summary>Air quality: a diurnal PM2.5 cycle around a base level per province, plus episodes.</summary>
public sealed class AirSettings
{
    /// <summary>Diurnal amplitude as a fraction of the base (morning and evening traffic peaks). Default 0.35.</summary>
    public double DiurnalAmplitude { get; set; } = 0.35;

    /// <summary>Base PM2.5, µg/m³, per province (key <c>default</c> for the rest). Default 25.</summary>
    public Dictionary<string, double> BasePm25 { get; set; } = [];

    /// <summary>PM2.5 added during an episode, µg/m³, keyframes per province.</summary>
    public Dictionary<string, List<List<double>>> Episodes { get; set; } = [];
}
