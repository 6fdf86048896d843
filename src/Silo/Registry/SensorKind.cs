namespace Resilience.Silo.Registry;

/// <summary>What a sensor measures.</summary>
internal enum SensorKind : byte
{
    /// <summary>River or canal water-level gauge (<c>water_level</c>).</summary>
    WaterLevel,

    /// <summary>Rain gauge (<c>rain</c>).</summary>
    Rain,

    /// <summary>Air-quality station (<c>air_quality</c>).</summary>
    AirQuality,

    /// <summary>Weather station (<c>weather</c>).</summary>
    Weather,
}
