using Resilience.Ingest.Pipeline;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Sensors;

/// <summary>
/// What the silo knows about a <see cref="Quantity"/> beyond its wire name (which <see cref="QuantityNames"/> in
/// src/Ingest owns): its InfluxDB placement (DESIGN.md schema), physical range, and role per sensor kind.
/// </summary>
internal static class Quantities
{
    /// <summary>Number of quantities.</summary>
    public const int Count = QuantityNames.Count;

    private static readonly string[] s_fields =
        ["level", "amount", "pm25", "pm10", "o3", "no2", "so2", "co", "temperature", "humidity", "battery"];

    /// <summary>The wire name.</summary>
    public static string Name(Quantity q) => QuantityNames.GetName(q);

    /// <summary>The InfluxDB field key.</summary>
    public static string Field(Quantity q) => s_fields[(int)q];

    /// <summary>The InfluxDB measurement (DESIGN.md schema).</summary>
    public static string Measurement(Quantity q) => q switch
    {
        Quantity.WaterLevel => "water",
        Quantity.Rainfall => "rain",
        Quantity.Temperature or Quantity.Humidity => "weather",
        Quantity.Battery => "device",
        _ => "air",
    };

    /// <summary>True for the six air pollutants.</summary>
    public static bool IsPollutant(Quantity q) => q is >= Quantity.Pm25 and <= Quantity.Co;

    /// <summary>The quantity whose registry limits apply for a kind.</summary>
    public static Quantity PrimaryFor(SensorKind kind) => kind switch
    {
        SensorKind.WaterLevel => Quantity.WaterLevel,
        SensorKind.Rain => Quantity.Rainfall,
        SensorKind.AirQuality => Quantity.Pm25,
        _ => Quantity.Temperature,
    };

    /// <summary>Physically possible range for quantities other than the primary one (hard limits).</summary>
    public static (double Min, double Max) PhysicalRange(Quantity q) => q switch
    {
        Quantity.WaterLevel => (-50, 200),
        Quantity.Rainfall => (0, 500),
        Quantity.Co => (0, 200_000),
        Quantity.Temperature => (-30, 60),
        Quantity.Humidity => (0, 100),
        Quantity.Battery => (0, 60),
        _ => (0, 10_000),
    };
}
