namespace Resilience.Ingest.Pipeline;

/// <summary>Wire names and SenML units of <see cref="Quantity"/>, matched on UTF-8 bytes without allocating.</summary>
public static class QuantityNames
{
    /// <summary>How many quantities exist (the size of a reading's value set).</summary>
    public const int Count = 11;

    private static readonly string[] s_names =
    [
        "water_level", "rainfall", "pm25", "pm10", "o3", "no2", "so2", "co", "temperature", "humidity", "battery",
    ];

    // SenML units (RFC 8428 §12.1 registry, RFC 8798 secondary units): ASCII "ug/m3", "Cel" (not "C", the coulomb).
    private static readonly string[] s_senmlUnits =
    [
        "m", "mm", "ug/m3", "ug/m3", "ug/m3", "ug/m3", "ug/m3", "ug/m3", "Cel", "%RH", "V",
    ];

    /// <summary>The payload name of <paramref name="quantity"/>, e.g. <c>water_level</c>.</summary>
    public static string GetName(Quantity quantity) => s_names[(int)quantity];

    /// <summary>The SenML unit symbol expected for <paramref name="quantity"/>, e.g. <c>Cel</c>.</summary>
    public static string GetSenmlUnit(Quantity quantity) => s_senmlUnits[(int)quantity];

    /// <summary>Matches a payload name given as UTF-8 bytes (exact, case-sensitive).</summary>
    public static bool TryParse(ReadOnlySpan<byte> name, out Quantity quantity)
    {
        quantity = default;
        switch (name.Length)
        {
            case 2:
                if (name.SequenceEqual("o3"u8))
                {
                    quantity = Quantity.O3;
                    return true;
                }

                if (name.SequenceEqual("co"u8))
                {
                    quantity = Quantity.Co;
                    return true;
                }

                return false;
            case 3:
                if (name.SequenceEqual("no2"u8))
                {
                    quantity = Quantity.No2;
                    return true;
                }

                if (name.SequenceEqual("so2"u8))
                {
                    quantity = Quantity.So2;
                    return true;
                }

                return false;
            case 4:
                if (name.SequenceEqual("pm25"u8))
                {
                    quantity = Quantity.Pm25;
                    return true;
                }

                if (name.SequenceEqual("pm10"u8))
                {
                    quantity = Quantity.Pm10;
                    return true;
                }

                return false;
            case 7:
                return Match(name, "battery"u8, Quantity.Battery, out quantity);
            case 8:
                if (name.SequenceEqual("rainfall"u8))
                {
                    quantity = Quantity.Rainfall;
                    return true;
                }

                return Match(name, "humidity"u8, Quantity.Humidity, out quantity);
            case 11:
                if (name.SequenceEqual("water_level"u8))
                {
                    quantity = Quantity.WaterLevel;
                    return true;
                }

                return Match(name, "temperature"u8, Quantity.Temperature, out quantity);
            default:
                return false;
        }
    }

    /// <summary>True when <paramref name="unit"/> (UTF-8) is the SenML unit of <paramref name="quantity"/>.</summary>
    public static bool IsSenmlUnit(Quantity quantity, ReadOnlySpan<byte> unit) => quantity switch
    {
        Quantity.WaterLevel => unit.SequenceEqual("m"u8),
        Quantity.Rainfall => unit.SequenceEqual("mm"u8),
        Quantity.Temperature => unit.SequenceEqual("Cel"u8),
        Quantity.Humidity => unit.SequenceEqual("%RH"u8),
        Quantity.Battery => unit.SequenceEqual("V"u8),
        _ => unit.SequenceEqual("ug/m3"u8),
    };

    private static bool Match(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected, Quantity value, out Quantity quantity)
    {
        bool ok = name.SequenceEqual(expected);
        quantity = ok ? value : default;
        return ok;
    }
}
