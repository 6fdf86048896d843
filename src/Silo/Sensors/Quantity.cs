namespace Resilience.Silo.Sensors;

/// <summary>The quantities a sensor may report (DESIGN.md, telemetry payload).</summary>
internal enum Quantity : byte
{
    /// <summary><c>water_level</c>, m above the gauge datum.</summary>
    WaterLevel,

    /// <summary><c>rainfall</c>, mm since the previous report.</summary>
    Rainfall,

    /// <summary><c>pm25</c>, µg/m³.</summary>
    Pm25,

    /// <summary><c>pm10</c>, µg/m³.</summary>
    Pm10,

    /// <summary><c>o3</c>, µg/m³.</summary>
    O3,

    /// <summary><c>no2</c>, µg/m³.</summary>
    No2,

    /// <summary><c>so2</c>, µg/m³.</summary>
    So2,

    /// <summary><c>co</c>, µg/m³.</summary>
    Co,

    /// <summary><c>temperature</c>, °C.</summary>
    Temperature,

    /// <summary><c>humidity</c>, %RH.</summary>
    Humidity,

    /// <summary><c>battery</c>, V.</summary>
    Battery,
}
