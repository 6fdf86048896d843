using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Zones;

/// <summary>
/// The status of one flood zone from its gauges: the worst gauge against its alarm levels (k of n), with the
/// rate of rise over the last hour. Each gauge's alarm level is held with hysteresis (<see cref="ZoneLevelTracker"/>),
/// so the zone level (and its alert) moves once per persistent change. Written to <c>zone_status</c>, stamped
/// with the time of the reading behind it, when the level changes and, from its own grain timer, every
/// <see cref="SiloOptions.ZoneStatusInterval"/>; the timer also checkpoints state. Zones are few, so the timer keeps
/// an activated zone active.
/// </summary>
internal sealed partial class FloodZoneGrain(
    SiloServices services,
    [PersistentState(FloodZoneGrain.StateName)] IPersistentState<ZoneState> state,
    GrainAlerting? alerting = null) : Grain, IFloodZoneGrain
{
    /// <summary>State name in grain storage.</summary>
    public const string StateName = "zone";

    private string _id = string.Empty;
    private bool _dirty;
    private long _lastWriteMs;
    private SubjectRules? _rules;
    private SensorRegistry? _membersOf;
    private ZoneInfo? _zone;
    private Member[] _members = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyString();
        services.Metrics.Activated();
        _lastWriteMs = services.NowMs;
        if (alerting is not null && services.Registry.Current.ZonesById.TryGetValue(_id, out ZoneInfo? zone))
        {
            _rules = await alerting.LoadAsync(AlertSubjects.For(zone, services.Registry.Current), AlertSubjects.Context(zone), static r => r.Kind == RuleKind.Zone, cancellationToken);
        }

        TimeSpan period = services.ZoneStatusInterval;
        this.RegisterGrainTimer(static (g, _) => g.OnTimerAsync(), this, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.Metrics.Deactivated();
        return _dirty ? WriteStateAsync() : Task.CompletedTask;
    }

    public async ValueTask ReportGaugeAsync(GaugeReading reading)
    {
        Member? member = Find(Members(), reading.SensorId);
        GaugeState? gauge = member is not null ? member.State : Gauge(reading.SensorId);
        if (gauge is null)
        {
            gauge = new GaugeState { Id = reading.SensorId };
            state.State.Gauges.Add(gauge);
            _membersOf = null; // the member list picks the new state up
        }

        if (gauge.Samples.Count > 0 && reading.TsMs <= gauge.Samples[^1].TsMs)
        {
            return;
        }

        gauge.Samples.Add(new GaugeSample(reading.TsMs, reading.LevelM));
        int drop = 0;
        while (drop < gauge.Samples.Count - 1 && gauge.Samples[drop].TsMs < reading.TsMs - 3_700_000)
        {
            drop++;
        }

        gauge.Samples.RemoveRange(0, drop);
        SensorInfo? info = member?.Info;
        if ((info is not null || services.Registry.Current.SensorsById.TryGetValue(reading.SensorId, out info)) && info.AlarmLevels is { } levels && !reading.Suspect)
        {
            // The gauge's held level: up at once, down only after the hysteresis margin and minimum duration.
            gauge.Held = ZoneLevelTracker.Step(gauge.Held, levels, reading.TsMs, reading.LevelM, services.Flood);
        }

        _dirty = true;

        // Per reading only the zone's level is computed (the held levels, k-of-n); the full snapshot with every
        // gauge's rate and nowcast is built when the level changes, or when a rule needs the nowcast.
        if (HeldLevel() is not { } level)
        {
            return;
        }

        if (level != state.State.LastWrittenLevel && Evaluate() is { } snapshot)
        {
            await WriteStatusAsync(snapshot, reading.TsMs);
        }

        if (_rules is not null)
        {
            // The held k-of-n level of the zone, judged at the time of the gauge reading that changed it.
            await _rules.EvaluateAsync(DefaultRules.ZoneLevelQuantity, new Reading(DateTimeOffset.FromUnixTimeMilliseconds(reading.TsMs), level), static z => z.Evaluate()?.NextAlarm, this);
        }
    }

    /// <summary>The stored state of gauge <paramref name="id"/>, or null before its first reading.</summary>
    private GaugeState? Gauge(string id)
    {
        foreach (GaugeState g in state.State.Gauges)
        {
            if (string.Equals(g.Id, id, StringComparison.Ordinal))
            {
                return g;
            }
        }

        return null;
    }

    /// <summary>The zone's level from its gauges' held levels (as <see cref="Evaluate"/> computes it), or null for a zone not in the registry.</summary>
    private int? HeldLevel()
    {
        if (Members() is not { } members)
        {
            return null;
        }

        Span<GaugeLevelState> held = members.Length <= 64 ? stackalloc GaugeLevelState[members.Length] : new GaugeLevelState[members.Length];
        int reporting = 0;
        foreach (Member m in members)
        {
            if (m.State is { Samples.Count: > 0 } g)
            {
                held[reporting++] = g.Held;
            }
        }

        return ZoneLevelTracker.ZoneLevel(held[..reporting], _zone!.KOfN);
    }

    /// <summary>
    /// The zone's registered gauges with their registry entry and state, in registry order; null when the zone is not
    /// in the registry. Built once per registry version (and when a gauge's first reading adds its state), so a
    /// reading costs no registry lookups.
    /// </summary>
    private Member[]? Members()
    {
        SensorRegistry registry = services.Registry.Current;
        if (!ReferenceEquals(registry, _membersOf))
        {
            _zone = registry.ZonesById.TryGetValue(_id, out ZoneInfo? zone) ? zone : null;
            var members = new List<Member>(zone?.Gauges.Count ?? 0);
            foreach (string id in zone?.Gauges ?? [])
            {
                if (registry.SensorsById.TryGetValue(id, out SensorInfo? info))
                {
                    members.Add(new Member(id, info, Gauge(id)));
                }
            }

            _members = [.. members];
            _membersOf = registry;
        }

        return _zone is null ? null : _members;
    }

    private static Member? Find(Member[]? members, string id)
    {
        foreach (Member m in members ?? [])
        {
            if (string.Equals(m.Id, id, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    public ValueTask<ZoneSnapshot?> GetSnapshotAsync() => ValueTask.FromResult(Evaluate());

    /// <summary>The periodic tick: the current status to <c>zone_status</c>, then a checkpoint when due.</summary>
    private async Task OnTimerAsync()
    {
        // Stamped with the newest gauge reading's time, never the silo clock: status and gauges share one time axis.
        ZoneSnapshot? snapshot = Evaluate();
        long newest = 0;
        foreach (GaugeState g in state.State.Gauges)
        {
            if (g.Samples.Count > 0)
            {
                newest = Math.Max(newest, g.Samples[^1].TsMs);
            }
        }

        if (snapshot is not null && newest > 0)
        {
            await WriteStatusAsync(snapshot, newest);
        }

        if (_dirty && services.NowMs - _lastWriteMs >= (long)services.CheckpointInterval.TotalMilliseconds)
        {
            await WriteStateAsync();
        }
    }

    private ZoneSnapshot? Evaluate()
    {
        if (Members() is not { } members)
        {
            return null;
        }

        long now = services.NowMs;
        FloodLevelOptions flood = services.Flood;
        var gauges = new GaugeSnapshot[members.Length];
        Span<GaugeLevelState> held = members.Length <= 64 ? stackalloc GaugeLevelState[members.Length] : new GaugeLevelState[members.Length];
        int reporting = 0;
        int n = 0;
        bool anyCurrent = false;
        GaugeSnapshot? worst = null;
        SensorInfo? worstInfo = null;
        NextAlarm? next = null;
        foreach ((string id, SensorInfo info, GaugeState? gauge) in members)
        {
            if (gauge is null || gauge.Samples.Count == 0)
            {
                gauges[n++] = new GaugeSnapshot(id, null, 0, 0, null, Freshness.Never, null);
                continue;
            }

            GaugeSample last = gauge.Samples[^1];
            bool current = Freshness.IsCurrent(last.TsMs, info.ReportingIntervalSeconds, now);
            anyCurrent |= current;
            NextAlarm? gaugeNext = current && info.AlarmLevels is { } a ? Estimate(id, a, gauge.Samples, flood) : null;
            if (gaugeNext is not null && (next is null || gaugeNext.At < next.At))
            {
                next = gaugeNext;
            }

            int alarm = gauge.Held.Level;
            var g = new GaugeSnapshot(
                id,
                last.LevelM,
                alarm,
                last.TsMs,
                current ? ZoneStatus.RisePerHour(gauge.Samples, now) : null,
                current ? Freshness.Current : Freshness.Stale,
                gaugeNext);
            gauges[n++] = g;
            held[reporting++] = gauge.Held;
            if (worst is null || alarm > worst.Alarm || (alarm == worst.Alarm && Margin(info, g) > Margin(worstInfo!, worst)))
            {
                worst = g;
                worstInfo = info;
            }
        }

        int level = ZoneLevelTracker.ZoneLevel(held[..reporting], _zone!.KOfN);
        string freshness = anyCurrent ? Freshness.Current : reporting > 0 ? Freshness.Stale : Freshness.Never;
        return new ZoneSnapshot(level, gauges, worst, freshness, next);
    }

    private static NextAlarm? Estimate(string id, AlarmLevels levels, List<GaugeSample> samples, FloodLevelOptions options)
    {
        var span = new LevelSample[samples.Count];
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = new LevelSample(samples[i].TsMs, samples[i].LevelM);
        }

        return AlarmEtaEstimator.Estimate(span, levels, id, options);
    }

    // How far above alarm I a gauge stands, in its own metres: breaks ties between gauges at the same alarm.
    private static double Margin(SensorInfo info, GaugeSnapshot g) => (g.LevelM ?? 0) - (info.AlarmLevels?.Lowest ?? 0);

    private async ValueTask WriteStatusAsync(ZoneSnapshot snapshot, long readingTsMs)
    {
        if (!services.Registry.Current.ZonesById.TryGetValue(_id, out ZoneInfo? zone))
        {
            return;
        }

        (KeyValuePair<string, string>[] tags, FieldValue[] fields) = PointWriterExtensions.Scratch();
        tags[0] = new("province", zone.Province);
        tags[1] = new("zone", zone.Id);
        fields[0] = FieldValue.Integer("level", snapshot.Level);
        int nf = 1;
        if (snapshot.Worst?.LevelM is { } max)
        {
            fields[nf++] = FieldValue.Float("max_level_m", max);
        }

        var point = new PointData("zone_status", tags.AsMemory(0, 2), fields.AsMemory(0, nf), readingTsMs * 1_000_000);
        await services.Writer.WriteAsync(point, CancellationToken.None);
        if (state.State.LastWrittenLevel != snapshot.Level)
        {
            Log.LevelChanged(services.Logger, zone.Id, state.State.LastWrittenLevel, snapshot.Level, snapshot.Worst?.LevelM ?? double.NaN);
            state.State.LastWrittenLevel = snapshot.Level;
            _dirty = true;
        }
    }

    private async Task WriteStateAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
        _lastWriteMs = services.NowMs;
    }

    /// <summary>A registered gauge of the zone: its id, registry entry and state (null before its first reading).</summary>
    private sealed record Member(string Id, SensorInfo Info, GaugeState? State);
}
