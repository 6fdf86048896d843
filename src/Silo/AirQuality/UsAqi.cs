namespace Resilience.Silo.AirQuality;

/// <summary>
/// US EPA AQI (TAD EPA-454/B-24-002, May 2024; DOMAIN.md §2): concentrations are truncated (not rounded) to the
/// table's precision before lookup, the index is rounded to an integer, the largest sub-index is reported.
/// Pure functions, no I/O.
/// </summary>
/// <remarks>
/// Project policy, not EPA text: gases measured in µg/m³ are converted at 25 °C and 1 atm,
/// ppb = µg/m³ × 24.45 / M with M = 48.00 (O3), 46.01 (NO2), 64.07 (SO2), 28.01 (CO, ppm = mg/m³ × 24.45 / M).
/// Above the top breakpoint the last segment is extended and the index capped at 500 ("Beyond the AQI").
/// SO2 1-hour values do not define an AQI above 200 (those need 24-hour SO2): the SO2 sub-index is capped at 200.
/// </remarks>
internal static class UsAqi
{
    /// <summary>Molar volume of an ideal gas at 25 °C and 1 atm, L/mol.</summary>
    public const double MolarVolume = 24.45;

    private static readonly double[] s_indexLo = [0, 51, 101, 151, 201, 301];
    private static readonly double[] s_indexHi = [50, 100, 150, 200, 300, 500];

    // Per pollutant: six (lo, hi) rows; NaN = no row (O3 8h has no Hazardous row, O3 1h starts at 101).
    private static readonly double[][] s_lo =
    [
        [0.000, 0.055, 0.071, 0.086, 0.106, double.NaN],
        [double.NaN, double.NaN, 0.125, 0.165, 0.205, 0.405],
        [0.0, 9.1, 35.5, 55.5, 125.5, 225.5],
        [0, 55, 155, 255, 355, 425],
        [0.0, 4.5, 9.5, 12.5, 15.5, 30.5],
        [0, 36, 76, 186, 305, 605],
        [0, 54, 101, 361, 650, 1250],
    ];

    private static readonly double[][] s_hi =
    [
        [0.054, 0.070, 0.085, 0.105, 0.200, double.NaN],
        [double.NaN, double.NaN, 0.164, 0.204, 0.404, 0.604],
        [9.0, 35.4, 55.4, 125.4, 225.4, 325.4],
        [54, 154, 254, 354, 424, 604],
        [4.4, 9.4, 12.4, 15.4, 30.4, 50.4],
        [35, 75, 185, 304, 604, 1004],
        [53, 100, 360, 649, 1249, 2049],
    ];

    private static readonly double[] s_truncation = [1000, 1000, 10, 1, 10, 1, 1];

    /// <summary>Truncates a concentration to the table's precision (O3 3 decimals, PM2.5 and CO 1, others 0).</summary>
    public static double Truncate(UsPollutant pollutant, double concentration)
    {
        double f = s_truncation[(int)pollutant];
        return Math.Floor((concentration * f) + 1e-9) / f;
    }

    /// <summary>
    /// The rounded sub-index, or null when the value is missing/negative or the table has no row for it
    /// (O3 1-hour below 0.125 ppm; O3 8-hour above 0.200 ppm, where the 1-hour value decides).
    /// </summary>
    public static int? SubIndex(UsPollutant pollutant, double concentration)
    {
        if (double.IsNaN(concentration) || concentration < 0)
        {
            return null;
        }

        double c = Truncate(pollutant, concentration);
        double[] lo = s_lo[(int)pollutant];
        double[] hi = s_hi[(int)pollutant];
        int last = -1;
        for (int i = 0; i < lo.Length; i++)
        {
            if (double.IsNaN(lo[i]))
            {
                continue;
            }

            last = i;
            if (c >= lo[i] && c <= hi[i])
            {
                return Cap(pollutant, Interpolate(i, lo[i], hi[i], c));
            }
        }

        if (pollutant == UsPollutant.O3EightHour || c < lo[last])
        {
            return null;
        }

        // Beyond the AQI: extend the last segment, cap at 500.
        return Cap(pollutant, Math.Min(500, Interpolate(last, lo[last], hi[last], c)));
    }

    /// <summary>Converts a gas from µg/m³ to the table's unit (ppm for O3 and CO, ppb for SO2 and NO2).</summary>
    public static double FromMicrogramsPerCubicMetre(UsPollutant pollutant, double microgramsPerCubicMetre) => pollutant switch
    {
        UsPollutant.O3EightHour or UsPollutant.O3OneHour => microgramsPerCubicMetre * MolarVolume / 48.00 / 1000,
        UsPollutant.No2 => microgramsPerCubicMetre * MolarVolume / 46.01,
        UsPollutant.So2 => microgramsPerCubicMetre * MolarVolume / 64.07,
        UsPollutant.Co => microgramsPerCubicMetre / 1000 * MolarVolume / 28.01,
        _ => microgramsPerCubicMetre,
    };

    /// <summary>The US AQI and dominant pollutant from the largest sub-index of the given values (table units).</summary>
    public static (int Aqi, string Dominant)? Combine(params ReadOnlySpan<(string Name, UsPollutant Pollutant, double? Value)> inputs)
    {
        int best = -1;
        string? dominant = null;
        foreach ((string name, UsPollutant p, double? value) in inputs)
        {
            if (value is { } v && SubIndex(p, v) is { } sub && sub > best)
            {
                best = sub;
                dominant = name;
            }
        }

        return best < 0 ? null : (best, dominant!);
    }

    private static double Interpolate(int row, double lo, double hi, double c) =>
        ((s_indexHi[row] - s_indexLo[row]) / (hi - lo) * (c - lo)) + s_indexLo[row];

    private static int Cap(UsPollutant pollutant, double index)
    {
        int rounded = (int)Math.Round(index, MidpointRounding.AwayFromZero);
        return pollutant == UsPollutant.So2 ? Math.Min(rounded, 200) : rounded;
    }
}
