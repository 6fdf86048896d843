using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Pipeline;
using Resilience.Ingest.Storage;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Alerting;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Sensors;

/// <summary>
/// The live model of one sensor: latest value per quantity, the last hour of values, duplicate and ordering
/// checks, data-quality flags (DOMAIN.md §6), liveness (silent for 3× its reporting interval = stale, checked by
/// its own grain timer), one InfluxDB point per measurement per reading, hand-off of in-order values to the flood
/// zone (water level) or the air station (pollutants), and the subject's alert rules except the AQI band.
/// State is written on deactivation, and every <see cref="GrainOptions.CheckpointInterval"/> while it changes (by a
/// reading or by the timer).
/// </summary>
internal sealed partial class SensorGrain(
    SiloServices services,
    [PersistentState(SensorGrain.StateName)] IPersistentState<SensorState> state,
    GrainAlerting? alerting = null) : Grain, ISensorGrain, IAlertSubjectSource
{
    /// <summary>State name in grain storage.</summary>
    public const string StateName = "sensor";

    private static readonly TimeSpan s_window = TimeSpan.FromHours(1);
    private const double FlatTolerance = 1e-6;

    private HistoryBuffer _history = null!;
    private SensorRegistry? _registry;
    private SensorInfo? _sensor;
    private SubjectRules? _rules;
    private IGrainTimer? _timer;
    private bool _timerReleased;
    private long _lastWriteMs;
    private bool _dirty;
    private bool _staleNotified;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        services.Metrics.Activated();
        _history = HistoryBuffer.Unpack(state.State.History);
        state.State.History = null;
        _lastWriteMs = services.NowMs;
        if (alerting is not null && Sensor() is { } sensor)
        {
            // The air-quality band rule runs in the air station grain (it owns the VN_AQI); everything else here.
            _rules = await alerting.LoadAsync(this, AlertSubjects.Context(sensor), static r => r.Kind != RuleKind.AirQuality, cancellationToken);
        }

        // A sensor already silent when its grain activates (e.g. after a restart) is not re-announced as stale; a
        // live one gets its timer back, so its silence is noticed even if it never reports again.
        if (Sensor() is { } s)
        {
            _staleNotified = Snapshot(null, null).IsStale(services.NowMs, s.ReportingIntervalSeconds);
            if (!_staleNotified && state.State.LastSeenMs > 0)
            {
                EnsureTimer(s);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.Metrics.Deactivated();
        return _dirty ? WriteAsync() : Task.CompletedTask;
    }

    public async ValueTask<RecordOutcome> RecordAsync(SensorReading reading)
    {
        if (Sensor() is not { } sensor)
        {
            return RecordOutcome.UnknownSensor;
        }

        SensorState s = state.State;
        if (reading.Seq >= 0)
        {
            var seq = new SequenceState(s.MaxSeq, s.SeqWindow, s.SeqCandidate);
            SequenceVerdict verdict = SequenceGuard.Check(ref seq, reading.Seq);
            (s.MaxSeq, s.SeqWindow, s.SeqCandidate) = (seq.MaxSeq, seq.Window, seq.Candidate);
            MarkDirty(sensor);
            if (verdict == SequenceVerdict.Duplicate)
            {
                s.Duplicates++;
                if (reading.Durable)
                {
                    // A device re-sends a reading it got no acknowledgement for (its silo died after the grain saw
                    // the reading, perhaps before the points were durable): store it again (InfluxDB overwrites the
                    // same series and time) rather than trust that the first copy made it.
                    await WritePointsAsync(sensor, reading);
                }

                return RecordOutcome.Duplicate;
            }
        }

        _dirty = true;
        EnsureTimer(sensor);
        s.LastSeenMs = services.NowMs;
        s.StatusOffline = false;
        _staleNotified = false;
        RecordOutcome outcome = RecordOutcome.Accepted;
        Quantity primary = Quantities.PrimaryFor(sensor.Kind);

        // Copy on write: the published snapshot shares the state's array (one array per sensor instead of two), so the
        // array is never changed in place; a reading that changes a value works on one fresh copy.
        LatestValue[] latest = s.Latest;
        bool copied = false;
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

            int idx = IndexOf(latest, v.Quantity);
            if (idx >= 0 && ts < latest[idx].TsMs)
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
                CheckSpike(s, sensor, idx < 0 ? null : latest[idx], v.Value, ts);
                CheckFlatLine(s, sensor, v.Value, ts);
                (primaryValue, primaryFlags, evaluate) = (v.Value, ToDataQuality(s.Flags), true);
            }

            if (idx < 0)
            {
                LatestValue[] grown = new LatestValue[latest.Length + 1];
                latest.CopyTo(grown, 0);
                idx = latest.Length;
                latest = grown;
                copied = true;
            }
            else if (!copied)
            {
                latest = (LatestValue[])latest.Clone();
                copied = true;
            }

            latest[idx] = new LatestValue(v.Quantity, v.Value, ts);
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

        s.Latest = latest;
        if (ts > s.LastTsMs)
        {
            s.LastTsMs = ts;
        }

        services.Snapshots.Publish(sensor.Id, Snapshot(null, null));

        // Rules first: an alert never waits on the readings' storage (a full InfluxDB spool under the Block policy
        // delays the points, not the alarm).
        if (evaluate && _rules is not null)
        {
            // An escalation of a gauge carries the time-to-next-alarm nowcast (computed only when a rule changes).
            await _rules.EvaluateAsync(Quantities.Name(primary), new Reading(DateTimeOffset.FromUnixTimeMilliseconds(ts), primaryValue, primaryFlags), static g => g.NextAlarmNow(), this);
        }

        await WritePointsAsync(sensor, reading);

        if (level is { } l && sensor.Zone is { } zone && sensor.Kind == SensorKind.WaterLevel)
        {
            await services.References.Zone(zone).ReportGaugeAsync(new GaugeReading(sensor.Id, ts, l, Suspect: primaryFlags != DataQualityFlags.None));
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

            await services.References.AirStation(sensor.Id).RecordAsync(new AirSample(ts, n == values.Length ? values : values[..n]));
        }

        // A busy grain checkpoints here as well as from its timer (which runs once per reporting interval), so a
        // crash of its silo loses at most one checkpoint interval of state.
        if (CheckpointDue)
        {
            try
            {
                await WriteAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The reading is taken (points written, rules run); the state is written again at the next try.
                _lastWriteMs = services.NowMs;
                Log.CheckpointFailed(services.Logger, this.GetPrimaryKeyString(), ex);
            }
        }

        return outcome;
    }

    public ValueTask<SensorSnapshot?> GetSnapshotAsync(bool includeHistory) =>
        ValueTask.FromResult(Sensor() is null
            ? null
            : Snapshot(includeHistory ? _history.Snapshot(services.NowMs - (long)s_window.TotalMilliseconds) : null, NextAlarmNow()));

    public async ValueTask SetStatusAsync(bool online, long atMs)
    {
        if (Sensor() is not { } sensor)
        {
            return;
        }

        SensorState s = state.State;
        MarkDirty(sensor);
        if (online)
        {
            s.LastSeenMs = Math.Max(s.LastSeenMs, atMs);
            s.StatusOffline = false;
            _staleNotified = false;
            EnsureTimer(sensor);
        }
        else
        {
            s.StatusOffline = true;
        }

        services.Snapshots.Publish(sensor.Id, Snapshot(null, null));
        if (!online)
        {
            await CheckStaleAsync(sensor);
        }
    }

    /// <summary>The subject of this sensor's alerts, built when a rule changes (not held by the activation).</summary>
    AlertSubject IAlertSubjectSource.CreateAlertSubject() =>
        Sensor() is { } sensor
            ? AlertSubjects.For(sensor)
            : new AlertSubject { Id = this.GetPrimaryKeyString(), Province = string.Empty }; // removed from the registry by a reload in this very turn

    private SensorSnapshot Snapshot(HistorySample[]? history, NextAlarm? nextAlarm)
    {
        SensorState s = state.State;
        // The state's array is replaced, never written in place (see RecordAsync), so the snapshot may share it.
        return new SensorSnapshot(s.Latest, s.Flags, s.LastSeenMs, s.StatusOffline, history, s.LastTsMs, s.Duplicates, nextAlarm);
    }

    /// <summary>The registry entry, looked up again only when the registry was reloaded.</summary>
    private SensorInfo? Sensor()
    {
        SensorRegistry current = services.Registry.Current;
        if (!ReferenceEquals(current, _registry))
        {
            // The key string is allocated here only (after a reload); the grain keeps the registry's id, not its own copy.
            _sensor = current.TryGetSensor(this.GetPrimaryKeyString(), out SensorInfo? info) ? info : null;
            _registry = current;
        }

        return _sensor;
    }

    /// <summary>
    /// One timer per reporting sensor: every reporting interval (1 s to 1 min) it checks silence against 3× the
    /// interval and checkpoints dirty state. It does not keep the grain alive: a silent sensor is marked stale,
    /// then collected after <see cref="GrainOptions.CollectionAge"/>. Once the sensor is marked stale and its state
    /// is written the timer has nothing left to do and is released (an Orleans grain timer costs a few hundred bytes
    /// per activation); the next reading or <c>online</c> status arms it again.
    /// </summary>
    private void EnsureTimer(SensorInfo sensor)
    {
        if (_timer is not null)
        {
            return;
        }

        _timerReleased = false;
        TimeSpan period = TimeSpan.FromSeconds(Math.Clamp(sensor.ReportingIntervalSeconds, 1, 60));
        _timer = this.RegisterGrainTimer(static (g, _) => g.OnTimerAsync(), this, new GrainTimerCreationOptions(period, period) { KeepAlive = false });
    }

    private async Task OnTimerAsync()
    {
        if (Sensor() is { } sensor)
        {
            await CheckStaleAsync(sensor);
        }

        if (CheckpointDue)
        {
            await WriteAsync();
        }

        if (_staleNotified && !_dirty && _timer is not null)
        {
            _timer.Dispose();
            _timer = null;
            _timerReleased = true;
        }
    }

    /// <summary>True when changed state has not been written for a checkpoint interval.</summary>
    private bool CheckpointDue => _dirty && services.NowMs - _lastWriteMs >= (long)services.CheckpointInterval.TotalMilliseconds;

    /// <summary>State changed: a timer released while the sensor was stale and clean comes back to checkpoint it.</summary>
    private void MarkDirty(SensorInfo sensor)
    {
        _dirty = true;
        if (_timerReleased)
        {
            EnsureTimer(sensor);
        }
    }

    private async ValueTask CheckStaleAsync(SensorInfo sensor)
    {
        if (_staleNotified || !Snapshot(null, null).IsStale(services.NowMs, sensor.ReportingIntervalSeconds))
        {
            return;
        }

        _staleNotified = true;
        services.Snapshots.Publish(sensor.Id, Snapshot(null, null));
        if (_rules is not null)
        {
            await _rules.EvaluateAsync("status", new Reading(services.Time.GetUtcNow(), double.NaN, DataQualityFlags.Stale));
        }
    }

    private NextAlarm? NextAlarmNow() =>
        Sensor() is { AlarmLevels: { } levels } sensor
            ? EstimateNextAlarm(sensor.Id, levels, state.State.LastTsMs, _history, services.Flood)
            : null;

    /// <summary>The time-to-next-alarm nowcast from the water levels of the last <see cref="FloodLevelOptions.EtaWindow"/> (reading time).</summary>
    internal static NextAlarm? EstimateNextAlarm(string id, AlarmLevels levels, long lastTsMs, HistoryBuffer history, FloodLevelOptions options)
    {
        if (lastTsMs <= 0)
        {
            return null;
        }

        var samples = new List<LevelSample>();
        foreach (HistorySample h in history.Snapshot(lastTsMs - (long)options.EtaWindow.TotalMilliseconds))
        {
            if (h.Quantity == Quantity.WaterLevel)
            {
                samples.Add(new LevelSample(h.TsMs, h.Value));
            }
        }

        return AlarmEtaEstimator.Estimate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples), levels, id, options);
    }

    private static void CheckSpike(SensorState s, SensorInfo sensor, LatestValue? previous, double value, long ts)
    {
        if (sensor.Limits.MaxRisePerHour is not { } limit || previous is not { } prev)
        {
            s.Flags &= ~QualityFlags.Spike;
            return;
        }

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

    public Task WhenDurableAsync() => services.Durability.WaitAsync();

    private async Task WriteAsync()
    {
        state.State.History = _history.Pack(services.NowMs - (long)s_window.TotalMilliseconds);
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
            _lastWriteMs = services.NowMs;
        }
        finally
        {
            state.State.History = null;
        }
    }
}
