using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;

namespace Resilience.Silo.AirQuality;

/// <summary>
/// Hourly means, NowCast, VN_AQI (1459/QĐ-TCMT) and US AQI of one air-quality station. The current hour's running
/// mean is c1 (the decree's "current hour"); closed hours are kept for 24 h. Writes <c>aqi</c> when the index or
/// the dominant pollutant changes and when an hour closes.
/// </summary>
internal sealed class AirStationGrain(
    SiloServices services,
    [PersistentState(AirStationGrain.StateName)] IPersistentState<AirStationState> state,
    GrainAlerting? alerting = null) : Grain, IAirStationGrain
{
    /// <summary>State name in grain storage.</summary>
    public const string StateName = "air";

    private const long HourMs = 3_600_000;
    private static readonly string[] s_names = ["pm25", "pm10", "o3", "no2", "so2", "co"];

    private string _id = string.Empty;
    private bool _dirty;
    private long _lastWriteMs;
    private IGrainTimer? _checkpoint;
    private string? _lastDominant;
    private SubjectRules? _rules;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyString();
        _lastWriteMs = services.NowMs;
        if (alerting is not null && services.Registry.Current.TryGetSensor(_id, out SensorInfo? sensor))
        {
            _rules = await alerting.LoadAsync(AlertSubjects.For(sensor), AlertSubjects.Context(sensor), static r => r.Kind == RuleKind.AirQuality, cancellationToken);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.Metrics.Deactivated();
        return _dirty ? WriteStateAsync() : Task.CompletedTask;
    }

    public async ValueTask RecordAsync(AirSample sample)
    {
        AirStationState s = state.State;
        long hour = sample.TsMs - (sample.TsMs % HourMs);
        bool closed = false;
        if (hour > s.CurrentHourMs)
        {
            closed = CloseHour(s);
            s.CurrentHourMs = hour;
        }
        else if (hour < s.CurrentHourMs)
        {
            return; // a late sample for a closed hour: InfluxDB has it, the hourly mean stays as published
        }

        foreach (QuantityValue v in sample.Values)
        {
            int i = v.Quantity - Quantity.Pm25;
            if ((uint)i < 6u)
            {
                s.Sums[i] += v.Value;
                s.Counts[i]++;
            }
        }

        s.UpdatedMs = sample.TsMs;
        _dirty = true;
        _checkpoint ??= this.RegisterGrainTimer(
            static (g, _) => g.CheckpointAsync(),
            this,
            new GrainTimerCreationOptions(services.CheckpointInterval, services.CheckpointInterval) { KeepAlive = false });
        Indices idx = Compute(s);
        if (closed || (idx.Vn?.Aqi ?? -1) != s.LastVnAqi || (idx.Us?.Aqi ?? -1) != s.LastUsAqi || !string.Equals(idx.Vn?.Dominant, _lastDominant, StringComparison.Ordinal))
        {
            await WriteAqiAsync(idx, sample.TsMs);
        }

        if (idx.Vn is { } vn && _rules is not null)
        {
            await _rules.EvaluateAsync(DefaultRules.AqiQuantity, new Reading(DateTimeOffset.FromUnixTimeMilliseconds(sample.TsMs), vn.Aqi));
        }
    }

    public ValueTask<AirQualitySnapshot?> GetSnapshotAsync()
    {
        if (!services.Registry.Current.TryGetSensor(_id, out _))
        {
            return ValueTask.FromResult<AirQualitySnapshot?>(null);
        }

        AirStationState s = state.State;
        Indices idx = Compute(s);
        var pollutants = new List<PollutantSnapshot>(6);
        for (int i = 0; i < 6; i++)
        {
            if (idx.Concentrations[i] is { } c)
            {
                int? sub = idx.Vn is not null && idx.Vn.SubIndices.TryGetValue(s_names[i], out int si) ? si : null;
                pollutants.Add(new PollutantSnapshot(s_names[i], Math.Round(c, 1), sub));
            }
        }

        return ValueTask.FromResult<AirQualitySnapshot?>(new AirQualitySnapshot(
            idx.Vn?.Aqi,
            idx.Us?.Aqi,
            idx.Vn?.Dominant,
            [.. pollutants],
            s.UpdatedMs,
            [.. s.AqiHistory]));
    }

    private static bool CloseHour(AirStationState s)
    {
        if (s.CurrentHourMs == 0)
        {
            return false;
        }

        var means = new HourlyMeans { HourMs = s.CurrentHourMs };
        bool any = false;
        for (int i = 0; i < 6; i++)
        {
            if (s.Counts[i] > 0)
            {
                means.Means[i] = s.Sums[i] / s.Counts[i];
                any = true;
            }

            s.Sums[i] = 0;
            s.Counts[i] = 0;
        }

        if (!any)
        {
            return false;
        }

        s.Hours.Add(means);
        if (s.Hours.Count > 24)
        {
            s.Hours.RemoveAt(0);
        }

        // The closed hour's AQI^h: computed with that hour as c1.
        Indices closed = Compute(s, s.CurrentHourMs, includeCurrent: false);
        if (closed.Vn is { } vn)
        {
            s.AqiHistory.Add(new AqiPoint(s.CurrentHourMs, vn.Aqi));
            if (s.AqiHistory.Count > 24)
            {
                s.AqiHistory.RemoveAt(0);
            }
        }

        return true;
    }

    private static Indices Compute(AirStationState s) => Compute(s, s.CurrentHourMs, includeCurrent: true);

    private static Indices Compute(AirStationState s, long c1HourMs, bool includeCurrent)
    {
        Span<double> series = stackalloc double[12];
        var conc = new double?[6];
        for (int p = 0; p < 6; p++)
        {
            for (int k = 0; k < 12; k++)
            {
                series[k] = Mean(s, p, c1HourMs - (k * HourMs), includeCurrent);
            }

            conc[p] = p < 2
                ? VnAqi.NowCast(series)
                : !double.IsNaN(series[0]) ? series[0] : (!double.IsNaN(series[1]) ? series[1] : null);
        }

        AqiResult? vn = VnAqi.Hourly(conc[0], conc[1], conc[2], conc[3], conc[4], conc[5]);

        // US AQI: O3 and CO are 8-hour quantities; use the 8-hour mean when 6 of 8 hours exist (project policy).
        double? o3Eight = EightHourMean(s, 2, c1HourMs, includeCurrent);
        double? coEight = EightHourMean(s, 5, c1HourMs, includeCurrent) ?? conc[5];
        (int Aqi, string Dominant)? us = UsAqi.Combine(
            ("pm25", UsPollutant.Pm25, conc[0]),
            ("pm10", UsPollutant.Pm10, conc[1]),
            ("o3", UsPollutant.O3EightHour, o3Eight is { } o8 ? UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.O3EightHour, o8) : null),
            ("o3", UsPollutant.O3OneHour, conc[2] is { } o1 ? UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.O3OneHour, o1) : null),
            ("no2", UsPollutant.No2, conc[3] is { } n ? UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.No2, n) : null),
            ("so2", UsPollutant.So2, conc[4] is { } so ? UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.So2, so) : null),
            ("co", UsPollutant.Co, coEight is { } co ? UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.Co, co) : null));
        if (conc[0] is null && conc[1] is null)
        {
            us = null;
        }

        return new Indices(vn, us is { } u ? new UsResult(u.Aqi, u.Dominant) : null, conc);
    }

    private static double? EightHourMean(AirStationState s, int p, long c1HourMs, bool includeCurrent)
    {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < 8; k++)
        {
            double m = Mean(s, p, c1HourMs - (k * HourMs), includeCurrent);
            if (!double.IsNaN(m))
            {
                sum += m;
                n++;
            }
        }

        return n >= 6 ? sum / n : null;
    }

    private static double Mean(AirStationState s, int p, long hourMs, bool includeCurrent)
    {
        if (includeCurrent && hourMs == s.CurrentHourMs)
        {
            return s.Counts[p] > 0 ? s.Sums[p] / s.Counts[p] : double.NaN;
        }

        for (int i = s.Hours.Count - 1; i >= 0; i--)
        {
            HourlyMeans h = s.Hours[i];
            if (h.HourMs == hourMs)
            {
                return h.Means[p] ?? double.NaN;
            }

            if (h.HourMs < hourMs)
            {
                break;
            }
        }

        return double.NaN;
    }

    private async ValueTask WriteAqiAsync(Indices idx, long tsMs)
    {
        if (idx.Vn is null || !services.Registry.Current.TryGetSensor(_id, out SensorInfo? sensor))
        {
            return;
        }

        (KeyValuePair<string, string>[] tags, FieldValue[] fields) = PointWriterExtensions.Scratch();
        int nt = 0;
        tags[nt++] = new("province", sensor.Province);
        if (sensor.Area.Length > 0)
        {
            tags[nt++] = new("area", sensor.Area);
        }

        tags[nt++] = new("sensor", sensor.Id);
        int nf = 0;
        fields[nf++] = FieldValue.Integer("vn_aqi", idx.Vn.Aqi);
        if (idx.Us is { } us)
        {
            fields[nf++] = FieldValue.Integer("us_aqi", us.Aqi);
        }

        fields[nf++] = FieldValue.String("dominant", idx.Vn.Dominant);
        await services.Writer.WriteAsync(new PointData("aqi", tags.AsMemory(0, nt), fields.AsMemory(0, nf), tsMs * 1_000_000), CancellationToken.None);
        state.State.LastVnAqi = idx.Vn.Aqi;
        state.State.LastUsAqi = idx.Us?.Aqi ?? -1;
        _lastDominant = idx.Vn.Dominant;
    }

    private Task CheckpointAsync() =>
        _dirty && services.NowMs - _lastWriteMs >= (long)services.CheckpointInterval.TotalMilliseconds ? WriteStateAsync() : Task.CompletedTask;

    private async Task WriteStateAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
        _lastWriteMs = services.NowMs;
    }

    private sealed record UsResult(int Aqi, string Dominant);

    private sealed record Indices(AqiResult? Vn, UsResult? Us, double?[] Concentrations);
}
