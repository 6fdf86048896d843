namespace Resilience.Ingest.Pipeline;

/// <summary>The measured quantities the backend accepts (DESIGN.md "Telemetry payload"); nothing else is decoded.</summary>
public enum Quantity : byte
{
    /// <summary><c>water_level</c>, metres above the station's gauge datum (SenML <c>m</c>).</summary>
    WaterLevel,

    /// <summary><c>rainfall</c>, millimetres since the previous report (SenML <c>mm</c>).</summary>
    Rainfall,

    /// <summary><c>pm25</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    Pm25,

    /// <summary><c>pm10</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    Pm10,

    /// <summary><c>o3</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    O3,

    /// <summary><c>no2</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    No2,

    /// <summary><c>so2</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    So2,

    /// <summary><c>co</c>, µg/m³ (SenML <c>ug/m3</c>).</summary>
    Co,

    /// <summary><c>temperature</c>, °C (SenML <c>Cel</c>).</summary>
    Temperature,

    /// <summary><c>humidity</c>, %RH (SenML <c>%RH</c>).</summary>
    Humidity,

    /// <summary><c>battery</c>, volts (SenML <c>V</c>).</summary>
    Battery,
}
