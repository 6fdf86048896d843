namespace Resilience.Simulation.Scenarios;

/// <summary>Gaussian noise added to readings (standard deviations).</summary>
public sealed class NoiseSettings
{
    /// <summary>Water level, metres. Default 0.01.</summary>
    public double WaterLevelM { get; set; } = 0.01;

    /// <summary>Rain, as a fraction of the amount. Default 0.15.</summary>
    public double RainFraction { get; set; } = 0.15;

    /// <summary>Pollutants, as a fraction of the value. Default 0.06.</summary>
    public double AirFraction { get; set; } = 0.06;

    /// <summary>Temperature, °C. Default 0.3.</summary>
    public double TemperatureC { get; set; } = 0.3;
}
