using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Sensors;

/// <summary>
/// The live model of one sensor: latest value per quantity, the last hour of values, duplicate and ordering
/// checks, data-quality flags (DOMAIN.md §6), one InfluxDB point per measurement per reading, and hand-off of
/// in-order values to the flood zone (water level) or the air station (pollutants).
/// </summary>
internal sealed partial class SensorGrain(SiloServices services, GrainAlerting? alerting = null) : Grain, ISensorGrain
{
    /// <summary>State name in grain storage.</summary>
    public const string StateName = "sensor";

    private static readonly TimeSpan s_window = TimeSpan.FromHours(1);
    private const double FlatTolerance = 1e-6;

    private PersistentState<SensorState> _state = null!;
    private HistoryBuffer _history = null!;
    private bool _dirty;
    private SubjectRules? _rules;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new PersistentState<SensorState>(services.Storage, StateName, GetPrimaryKeyString(), StateJsonContext.Default.SensorState);
        await _state.ReadStateAsync(cancellationToken);
        _history = HistoryBuffer.Unpack(_state.State.History);
        _state.State.History = null;
        if (alerting is not null && services.Registry.Current.TryGetSensor(GetPrimaryKeyString(), out SensorInfo? sensor))
        {
            // The air-quality band rule runs in the air station grain (it owns the VN_AQI); everything else here.
            _rules = await alerting.LoadAsync(AlertSubjects.For(sensor), AlertSubjects.Context(sensor), static r => r.Kind != RuleKind.AirQuality, cancellationToken);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dirty ? WriteAsync(cancellationToken) : Task.CompletedTask;

    public override Task OnCheckpointAsync(CancellationToken cancellationToken) =>
        _dirty ? WriteAsync(cancellationToken) : Task.CompletedTask;

    public async ValueTask<RecordOutcome> RecordAsync(SensorReading reading)
    {
        if (!services.Registry.Current.TryGetSensor(GetPrimaryKeyString(), out SensorInfo? sensor))
        {
            return RecordOutcome.UnknownSensor;
        }

        SensorState s = _state.State;
        if (reading.Seq >= 0)
        {
            var seq = new SequenceState(s.MaxSeq, s.SeqWindow, s.SeqCandidate);
            SequenceVerdict verdict = SequenceGuard.Check(ref seq, reading.Seq);
            (s.MaxSeq, s.SeqWindow, s.SeqCandidate) = (seq.MaxSeq, seq.Window, seq.Candidate);
            _dirty = true;
            if (verdict == SequenceVerdict.Duplicate)
            {
                s.Duplicates++;
                return RecordOutcome.Duplicate;
            }
        }

        _dirty = true;
        services.Liveness.Touch(sensor, services.NowMs);
        RecordOutcome outcome = RecordOutcome.Accepted;
        Quantity primary = Quantities.PrimaryFor(sensor.Kind);
        double? level = null;
        double primaryValue = double.NaN;
        DataQualityFlags primaryFlags = DataQualityFlags.None;
        bool evaluate = false;
        int pollutants = 0;
        long ts = reading.TimestampMs;
        foreach (QuantityValue v in reading.Values)
        {
            bool isPrimary = v.Quantity == primary;
            (double min, double max) = Quantities.PhysicalRange(v.Quantity);
            if (isPrimary)
            {
                min = sensor.Limits.HardMin ?? min;
                max = sensor.Limits.HardMax ?? max;
            }

            if (v.Value < min || v.Value > max)
            {
                if (isPrimary)
                {
                    s.Flags |= QualityFlags.OutOfRange;
                    (primaryValue, primaryFlags, evaluate) = (v.Value, DataQualityFlags.OutOfRange, true);
                }

                outcome = RecordOutcome.Rejected;
                continue;
            }

            int idx = IndexOf(s.Latest, v.Quantity);
            if (idx >= 0 && ts < s.Latest[idx].TsMs)
            {
                if (outcome == RecordOutcome.Accepted)
                {
                    outcome = RecordOutcome.OutOfOrder;
                }

                continue;
            }

            if (isPrimary)
            {
                s.Flags &= ~QualityFlags.OutOfRange;
                CheckSpike(s, sensor, idx, v.Value, ts);
                CheckFlatLine(s, sensor, v.Value, ts);
                (primaryValue, primaryFlags, evaluate) = (v.Value, ToDataQuality(s.Flags), true);
            }

            if (idx < 0)
            {
                LatestValue[] grown = new LatestValue[s.Latest.Length + 1];
                s.Latest.CopyTo(grown, 0);
                idx = s.Latest.Length;
                s.Latest = grown;
            }

            s.Latest[idx] = new LatestValue(v.Quantity, v.Value, ts);
            _history.Append(ts, v.Quantity, v.Value, s_window);
            if (v.Quantity == Quantity.WaterLevel)
            {
                level = v.Value;
            }
            else if (Quantities.IsPollutant(v.Quantity))
            {
                pollutants++;
            }
        }

        if (ts > s.LastTsMs)
        {
            s.LastTsMs = ts;
        }

        await WritePointsAsync(sensor, reading);

        if (evaluate && _rules is not null)
        {
            // An escalation of a gauge carries the time-to-next-alarm nowcast (computed only when a rule changes).
            await _rules.EvaluateAsync(Quantities.Name(primary), new Reading(DateTimeOffset.FromUnixTimeMilliseconds(ts), primaryValue, primaryFlags), static g => g.NextAlarmNow(), this);
        }

        if (level is { } l && sensor.Zone is { } zone && sensor.Kind == SensorKind.WaterLevel)
        {
            await GrainFactory.GetGrain<IFloodZoneGrain>(zone).ReportGaugeAsync(new GaugeReading(sensor.Id, ts, l, Suspect: primaryFlags != DataQualityFlags.None));
        }

        if (pollutants > 0 && sensor.Kind == SensorKind.AirQuality)
        {
            var values = new QuantityValue[pollutants];
            int n = 0;
            foreach (QuantityValue v in reading.Values)
            {
                if (Quantities.IsPollutant(v.Quantity) && n < values.Length && IndexOf(s.Latest, v.Quantity) is var i && i >= 0 && s.Latest[i].TsMs == ts && s.Latest[i].Value == v.Value)
                {
                    values[n++] = v;
                }
            }

            await GrainFactory.GetGrain<IAirStationGrain>(sensor.Id).RecordAsync(new AirSample(ts, n == values.Length ? values : values[..n]));
        }

        return outcome;
    }

    public ValueTask MarkStaleAsync() =>
        _rules is null ? ValueTask.CompletedTask : _rules.EvaluateAsync("status", new Reading(services.Time.GetUtcNow(), double.NaN, DataQualityFlags.Stale));

    public ValueTask<SensorView?> GetViewAsync(bool includeHistory)
    {
        if (!services.Registry.Current.TryGetSensor(GetPrimaryKeyString(), out SensorInfo? sensor))
        {
            return ValueTask.FromResult<SensorView?>(null);
        }

        NextAlarm? next = sensor.AlarmLevels is { } levels ? EstimateNextAlarm(sensor.Id, levels, _state.State.LastTsMs, _history, services.Flood) : null;
        return ValueTask.FromResult<SensorView?>(BuildView(sensor, _state.State, includeHistory ? _history : null, services, next));
    }

    private NextAlarm? NextAlarmNow() =>
        services.Registry.Current.TryGetSensor(GetPrimaryKeyString(), out SensorInfo? sensor) && sensor.AlarmLevels is { } levels
            ? EstimateNextAlarm(sensor.Id, levels, _state.State.LastTsMs, _history, services.Flood)
            : null;

    /// <summary>The time-to-next-alarm nowcast from the water levels of the last <see cref="FloodLevelOptions.EtaWindow"/> (reading time).</summary>
    internal static NextAlarm? EstimateNextAlarm(string id, Registry.AlarmLevels levels, long lastTsMs, HistoryBuffer history, FloodLevelOptions options)
    {
        if (lastTsMs <= 0)
        {
            return null;
        }

        var samples = new List<LevelSample>();
        foreach ((long ts, Quantity q, double value) in history.Snapshot(lastTsMs - (long)options.EtaWindow.TotalMilliseconds))
        {
            if (q == Quantity.WaterLevel)
            {
                samples.Add(new LevelSample(ts, value));
            }
        }

        return AlarmEtaEstimator.Estimate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples), levels.ToRuleLevels(), id, options);
    }

    /// <summary>The view of a sensor; <paramref name="state"/> is null for a sensor never heard from.</summary>
    public static SensorView BuildView(SensorInfo sensor, SensorState? state, HistoryBuffer? history, SiloServices services, NextAlarm? nextAlarm = null)
    {
        long now = services.NowMs;
        int interval = sensor.ReportingIntervalSeconds;
        long lastTs = state?.LastTsMs ?? 0;
        string freshness = Freshness.Of(lastTs, interval, now);
        double? lastLevel = null;
        (byte live, long lastSeenMs) = services.Liveness.Get(sensor);
        var values = new Dictionary<string, ValueView>(StringComparer.Ordinal);
        var flags = new List<string>();
        if (state is not null)
        {
            foreach (LatestValue v in state.Latest)
            {
                values[Quantities.Name(v.Quantity)] = new ValueView(v.Value, DateTimeOffset.FromUnixTimeMilliseconds(v.TsMs), Freshness.IsCurrent(v.TsMs, interval, now));
                if (v.Quantity == Quantity.WaterLevel)
                {
                    lastLevel = v.Value;
                }
            }

            if ((state.Flags & QualityFlags.OutOfRange) != 0)
            {
                flags.Add("outOfRange");
            }

            if ((state.Flags & QualityFlags.Spike) != 0)
            {
                flags.Add("spike");
            }

            if ((state.Flags & QualityFlags.FlatLine) != 0)
            {
                flags.Add("flatLine");
            }
        }

        if (live == SensorLiveness.Offline)
        {
            flags.Insert(0, "stale");
        }

        List<HistoryPointView>? points = null;
        if (history is not null)
        {
            points = [];
            foreach ((long ts, Quantity q, double value) in history.Snapshot(services.NowMs - (long)s_window.TotalMilliseconds))
            {
                if (points.Count == 0 || points[^1].Ts.ToUnixTimeMilliseconds() != ts)
                {
                    points.Add(new HistoryPointView(DateTimeOffset.FromUnixTimeMilliseconds(ts), new Dictionary<string, double>(StringComparer.Ordinal)));
                }

                points[^1].Values[Quantities.Name(q)] = Math.Round(value, 6); // stored as float: drop the float noise
            }
        }

        return new SensorView(
            sensor.Id,
            sensor.Province,
            sensor.KindName,
            sensor.Name,
            sensor.Area,
            sensor.Zone,
            sensor.Lat,
            sensor.Lon,
            live == SensorLiveness.Online,
            lastSeenMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastSeenMs) : null,
            values,
            flags,
            points,
            freshness,
            Freshness.StaleAfterSeconds(interval),
            lastTs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastTs) : null,
            freshness == Freshness.Current ? lastLevel : null,
            lastLevel,
            AlarmLevelsView.From(sensor.AlarmLevels),
            freshness == Freshness.Current ? nextAlarm : null)
        {
            Duplicates = state?.Duplicates ?? 0,
        };
    }

    private static void CheckSpike(SensorState s, SensorInfo sensor, int idx, double value, long ts)
    {
        if (sensor.Limits.MaxRisePerHour is not { } limit || idx < 0)
        {
            s.Flags &= ~QualityFlags.Spike;
            return;
        }

        LatestValue prev = s.Latest[idx];
        // Never divide by less than one reporting interval: two reports seconds apart are not a rate.
        double hours = Math.Max(ts - prev.TsMs, sensor.ReportingIntervalSeconds * 1000L) / 3_600_000.0;
        bool spike = Math.Abs(value - prev.Value) / hours > limit;
        s.Flags = spike ? s.Flags | QualityFlags.Spike : s.Flags & ~QualityFlags.Spike;
    }

    private static void CheckFlatLine(SensorState s, SensorInfo sensor, double value, long ts)
    {
        if (sensor.Limits.FlatLineMinutes is not { } minutes)
        {
            return;
        }

        if (s.FlatSinceMs == 0 || Math.Abs(value - s.FlatValue) > FlatTolerance)
        {
            s.FlatValue = value;
            s.FlatSinceMs = ts;
            s.Flags &= ~QualityFlags.FlatLine;
        }
        else if (ts - s.FlatSinceMs >= minutes * 60_000L)
        {
            s.Flags |= QualityFlags.FlatLine;
        }
    }

    private static DataQualityFlags ToDataQuality(QualityFlags flags) =>
        ((flags & QualityFlags.Spike) != 0 ? DataQualityFlags.Spike : DataQualityFlags.None)
        | ((flags & QualityFlags.FlatLine) != 0 ? DataQualityFlags.FlatLine : DataQualityFlags.None)
        | ((flags & QualityFlags.OutOfRange) != 0 ? DataQualityFlags.OutOfRange : DataQualityFlags.None);

    private static int IndexOf(LatestValue[] latest, Quantity q)
    {
        for (int i = 0; i < latest.Length; i++)
        {
            if (latest[i].Quantity == q)
            {
                return i;
            }
        }

        return -1;
    }

    private async ValueTask WritePointsAsync(SensorInfo sensor, SensorReading reading)
    {
        // One point per measurement (water, rain, air, weather, device), every value the device sent,
        // including out-of-order and out-of-range ones: InfluxDB keeps the record, the grain judges it.
        for (int group = 0; group < 5; group++)
        {
            string measurement = group switch
            {
                0 => "water",
                1 => "rain",
                2 => "air",
                3 => "weather",
                _ => "device",
            };

            (KeyValuePair<string, string>[] tags, FieldValue[] fields) = PointWriterExtensions.Scratch();
            int nf = 0;
            foreach (QuantityValue v in reading.Values)
            {
                if (nf < fields.Length && string.Equals(Quantities.Measurement(v.Quantity), measurement, StringComparison.Ordinal))
                {
                    fields[nf++] = FieldValue.Float(Quantities.Field(v.Quantity), v.Value);
                }
            }

            if (nf == 0)
            {
                continue;
            }

            int nt = 0;
            tags[nt++] = new("province", sensor.Province);
            if (group < 2)
            {
                if (sensor.Zone is not null)
                {
                    tags[nt++] = new("zone", sensor.Zone);
                }
            }
            else if (group < 4 && sensor.Area.Length > 0)
            {
                tags[nt++] = new("area", sensor.Area);
            }

            tags[nt++] = new("sensor", sensor.Id);
            var point = new PointData(measurement, tags.AsMemory(0, nt), fields.AsMemory(0, nf), reading.TimestampMs * 1_000_000);
            try
            {
                await services.Writer.WriteAsync(point, CancellationToken.None);
            }
            catch (ArgumentException ex)
            {
                Log.PointRejected(services.Logger, sensor.Id, ex.Message);
            }
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        _state.State.History = _history.Pack(services.NowMs - (long)s_window.TotalMilliseconds);
        try
        {
            await _state.WriteStateAsync(cancellationToken);
            _dirty = false;
        }
        finally
        {
            _state.State.History = null;
        }
    }
}
