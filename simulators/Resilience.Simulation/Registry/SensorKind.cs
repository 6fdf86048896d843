namespace Resilience.Simulation.Registry;

/// <summary>The registry's sensor kinds (docs/architecture.md "Sensor registry").</summary>
public enum SensorKind
{
    /// <summary><c>water_level</c>: a river or canal gauge with alarm levels.</summary>
    WaterLevel,

    /// <summary><c>rain</c>: a rain gauge.</summary>
    Rain,

    /// <summary><c>air_quality</c>: PM2.5, PM10, O3, NO2, SO2, CO.</summary>
    AirQuality,

    /// <summary><c>weather</c>: temperature and humidity.</summary>
    Weather,
}
