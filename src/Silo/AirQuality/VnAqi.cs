namespace Resilience.Silo.AirQuality;

/// <summary>
/// VN_AQI per Quyết định 1459/QĐ-TCMT (DOMAIN.md §1): contiguous breakpoints (BP_i maps exactly to I_i, no
/// EPA-style gaps), the linear sub-index, NowCast for PM, hourly AQI^h and daily AQI^d. All inputs in µg/m³
/// (CO included). Pure functions, no I/O.
/// </summary>
/// <remarks>
/// Rounding: half away from zero, applied to each sub-index. This reproduces every worked example of the decree
/// except hourly NO2 118.7, whose exact sub-index is 59.35: the decree prints 60 (and AQI^h = 60), which no
/// rounding rule reconciles with its daily NO2 example (65.4 → 65). We treat the 60 as a typo and return 59.
/// Above the top ("≥") row the decree gives no rule; we clamp the sub-index at 500 (project policy).
/// </remarks>
internal static class VnAqi
{
    private static readonly double[] s_index = [0, 50, 100, 150, 200, 300, 400, 500];

    private static readonly double[][] s_breakpoints =
    [
        [0, 160, 200, 300, 400, 800, 1000, 1200],           // O3 1h
        [0, 100, 120, 170, 210, 400],                       // O3 8h (no rows above 300)
        [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000], // CO
        [0, 125, 350, 550, 800, 1600, 2100, 2630],           // SO2
        [0, 100, 200, 700, 1200, 2350, 3100, 3850],          // NO2
        [0, 50, 150, 250, 350, 420, 500, 600],               // PM10
        [0, 25, 50, 80, 150, 250, 350, 500],                 // PM2.5
    ];

    /// <summary>
    /// The exact (unrounded) sub-index of a concentration, or null for a missing or negative value and for O3-8h
    /// above 400 µg/m³ (the decree then uses the 1-hour value only).
    /// </summary>
    public static double? SubIndex(VnPollutant pollutant, double concentration)
    {
        if (double.IsNaN(concentration) || concentration < 0)
        {
            return null;
        }

        double[] bp = s_breakpoints[(int)pollutant];
        if (concentration >= bp[^1])
        {
            return pollutant == VnPollutant.O3EightHour ? (concentration > bp[^1] ? null : s_index[bp.Length - 1]) : 500;
        }

        int i = 0;
        while (concentration > bp[i + 1])
        {
            i++;
        }

        return ((s_index[i + 1] - s_index[i]) / (bp[i + 1] - bp[i]) * (concentration - bp[i])) + s_index[i];
    }

    /// <summary>A sub-index rounded as the decree's examples (half away from zero).</summary>
    public static int Round(double subIndex) => (int)Math.Round(subIndex, MidpointRounding.AwayFromZero);

    /// <summary>The rounded sub-index, or null.</summary>
    public static int? RoundedSubIndex(VnPollutant pollutant, double concentration) =>
        SubIndex(pollutant, concentration) is { } v ? Round(v) : null;

    /// <summary>
    /// NowCast of up to 12 hourly means, <paramref name="hourly"/>[0] = c1 = the current hour, NaN = missing.
    /// w* = Cmin/Cmax over the present values, w = max(w*, 0.5); NowCast = Σ w^(i−1)·c_i / Σ w^(i−1) over present
    /// c_i (the normalised form also for w = ½). Null unless at least 2 of c1, c2, c3 are present.
    /// </summary>
    public static double? NowCast(ReadOnlySpan<double> hourly)
    {
        int n = Math.Min(hourly.Length, 12);
        int recent = 0;
        for (int i = 0; i < Math.Min(n, 3); i++)
        {
            if (!double.IsNaN(hourly[i]))
            {
                recent++;
            }
        }

        if (recent < 2)
        {
            return null;
        }

        double min = double.MaxValue;
        double max = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsNaN(hourly[i]))
            {
                min = Math.Min(min, hourly[i]);
                max = Math.Max(max, hourly[i]);
            }
        }

        double w = max <= 0 ? 1 : Math.Max(min / max, 0.5);
        double num = 0;
        double den = 0;
        double wk = 1;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsNaN(hourly[i]))
            {
                num += wk * hourly[i];
                den += wk;
            }

            wk *= w;
        }

        return num / den;
    }

    /// <summary>
    /// Hourly AQI^h from 1-hour means (O3 on the O3-1h column) and the PM NowCasts; null for missing inputs.
    /// Null result when neither PM value is present (the decree makes PM mandatory).
    /// </summary>
    public static AqiResult? Hourly(double? pm25NowCast, double? pm10NowCast, double? o3, double? no2, double? so2, double? co)
    {
        if (pm25NowCast is null && pm10NowCast is null)
        {
            return null;
        }

        var acc = new AqiAccumulator();
        acc.Add("pm25", VnPollutant.Pm25, pm25NowCast);
        acc.Add("pm10", VnPollutant.Pm10, pm10NowCast);
        acc.Add("o3", VnPollutant.O3OneHour, o3);
        acc.Add("no2", VnPollutant.No2, no2);
        acc.Add("so2", VnPollutant.So2, so2);
        acc.Add("co", VnPollutant.Co, co);
        return acc.Result();
    }

    /// <summary>
    /// Daily AQI^d: PM from 24-h means, SO2/NO2/CO from the day's max 1-h mean, O3 as the larger of the
    /// sub-indices of the max 1-h mean (O3-1h column) and the max 8-h mean (O3-8h column, ignored above 400).
    /// </summary>
    public static AqiResult? Daily(double? pm25Mean24h, double? pm10Mean24h, double? o3Max1h, double? o3Max8h, double? no2Max1h, double? so2Max1h, double? coMax1h)
    {
        if (pm25Mean24h is null && pm10Mean24h is null)
        {
            return null;
        }

        var acc = new AqiAccumulator();
        acc.Add("pm25", VnPollutant.Pm25, pm25Mean24h);
        acc.Add("pm10", VnPollutant.Pm10, pm10Mean24h);
        acc.Add("o3", VnPollutant.O3OneHour, o3Max1h);
        acc.Add("o3", VnPollutant.O3EightHour, o3Max8h);
        acc.Add("no2", VnPollutant.No2, no2Max1h);
        acc.Add("so2", VnPollutant.So2, so2Max1h);
        acc.Add("co", VnPollutant.Co, coMax1h);
        return acc.Result();
    }

    /// <summary>The largest 8-hour running mean of hourly values (each window needs 8 present values).</summary>
    public static double? MaxEightHourMean(ReadOnlySpan<double> hourly)
    {
        double? best = null;
        for (int start = 0; start + 8 <= hourly.Length; start++)
        {
            double sum = 0;
            bool complete = true;
            for (int i = start; i < start + 8; i++)
            {
                if (double.IsNaN(hourly[i]))
                {
                    complete = false;
                    break;
                }

                sum += hourly[i];
            }

            if (complete && (best is null || sum / 8 > best))
            {
                best = sum / 8;
            }
        }

        return best;
    }

    private sealed class AqiAccumulator
    {
        private readonly Dictionary<string, int> _subIndices = new(StringComparer.Ordinal);
        private int _max = -1;
        private string? _dominant;

        public void Add(string name, VnPollutant pollutant, double? concentration)
        {
            if (concentration is not { } c || RoundedSubIndex(pollutant, c) is not { } sub)
            {
                return;
            }

            if (!_subIndices.TryGetValue(name, out int existing) || sub > existing)
            {
                _subIndices[name] = sub;
            }

            if (sub > _max)
            {
                _max = sub;
                _dominant = name;
            }
        }

        public AqiResult? Result() => _max < 0 ? null : new AqiResult(_max, _dominant!, _subIndices);
    }
}
