namespace Resilience.Simulation.Scenarios;

/// <summary>Temperature and humidity.</summary>
public sealed class WeatherSettings
{
    /// <summary>Daily mean temperature, °C, per province (key <c>default</c>). Default 27.</summary>
    public Dictionary<string, double> TemperatureC { get; set; } = [];

    /// <summary>Half the daily temperature swing, °C. Default 4.</summary>
    public double DiurnalC { get; set; } = 4;

    /// <summary>Mean relative humidity, %. Default 75.</summary>
    public double HumidityPercent { get; set; } = 75;
}
