using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Zones;

/// <summary>
/// The status of one flood zone from its gauges: the worst gauge against its alarm levels (k of n), with the
/// rate of rise over the last hour. Each gauge's alarm level is held with hysteresis (<see cref="ZoneLevelTracker"/>),
/// so the zone level (and its alert) moves once per persistent change. Written to <c>zone_status</c>, stamped
/// with the time of the reading behind it, when the level changes and periodically.
/// </summary>
internal sealed partial class FloodZoneGrain(SiloServices services, GrainAlerting? alerting = null) : Grain, IFloodZoneGrain
{
    /// <summary>State name in grain storage.</summary>
    public const string StateName = "zone";

    private PersistentState<ZoneState> _state = null!;
    private bool _dirty;
    private SubjectRules? _rules;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new PersistentState<ZoneState>(services.Storage, StateName, GetPrimaryKeyString(), StateJsonContext.Default.ZoneState);
        await _state.ReadStateAsync(cancellationToken);
        if (alerting is not null && services.Registry.Current.ZonesById.TryGetValue(GetPrimaryKeyString(), out ZoneInfo? zone))
        {
            _rules = await alerting.LoadAsync(AlertSubjects.For(zone, services.Registry.Current), AlertSubjects.Context(zone), static r => r.Kind == RuleKind.Zone, cancellationToken);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dirty ? WriteStateAsync(cancellationToken) : Task.CompletedTask;

    public override Task OnCheckpointAsync(CancellationToken cancellationToken) =>
        _dirty ? WriteStateAsync(cancellationToken) : Task.CompletedTask;

    public async ValueTask ReportGaugeAsync(GaugeReading reading)
    {
        GaugeState? gauge = null;
        foreach (GaugeState g in _state.State.Gauges)
        {
            if (string.Equals(g.Id, reading.SensorId, StringComparison.Ordinal))
            {
                gauge = g;
                break;
            }
        }

        if (gauge is null)
        {
            gauge = new GaugeState { Id = reading.SensorId };
            _state.State.Gauges.Add(gauge);
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
        if (services.Registry.Current.SensorsById.TryGetValue(reading.SensorId, out SensorInfo? info) && info.AlarmLevels is { } levels && !reading.Suspect)
        {
            // The gauge's held level: up at once, down only after the hysteresis margin and minimum duration.
            gauge.Held = ZoneLevelTracker.Step(gauge.Held, levels.ToRuleLevels(), reading.TsMs, reading.LevelM, services.Flood);
        }

        _dirty = true;

        ZoneView? view = BuildView();
        if (view is not null && view.Level != _state.State.LastWrittenLevel)
        {
            await WriteStatusAsync(view, reading.TsMs);
        }

        if (view is not null && _rules is not null)
        {
            // The held k-of-n level of the zone, judged at the time of the gauge reading that changed it.
            await _rules.EvaluateAsync(DefaultRules.ZoneLevelQuantity, new Reading(DateTimeOffset.FromUnixTimeMilliseconds(reading.TsMs), view.Level), static v => v.NextAlarm, view);
        }
    }

    /// <summary>Writes the current status to <c>zone_status</c> (the periodic write).</summary>
    public async ValueTask PublishStatusAsync()
    {
        // Stamped with the newest gauge reading's time, never the silo clock: status and gauges share one time axis.
        ZoneView? view = BuildView();
        long newest = 0;
        foreach (GaugeState g in _state.State.Gauges)
        {
            if (g.Samples.Count > 0)
            {
                newest = Math.Max(newest, g.Samples[^1].TsMs);
            }
        }

        if (view is not null && newest > 0)
        {
            await WriteStatusAsync(view, newest);
        }
    }

    public ValueTask<ZoneView?> GetViewAsync() => ValueTask.FromResult(BuildView());

    private ZoneView? BuildView()
    {
        SensorRegistry registry = services.Registry.Current;
        if (!registry.ZonesById.TryGetValue(GetPrimaryKeyString(), out ZoneInfo? zone))
        {
            return null;
        }

        long now = services.NowMs;
        FloodLevelOptions flood = services.Flood;
        var gauges = new List<GaugeView>(zone.Gauges.Count);
        Span<GaugeLevelState> held = zone.Gauges.Count <= 64 ? stackalloc GaugeLevelState[zone.Gauges.Count] : new GaugeLevelState[zone.Gauges.Count];
        int reporting = 0;
        bool anyCurrent = false;
        GaugeView? worst = null;
        SensorInfo? worstInfo = null;
        NextAlarm? next = null;
        foreach (string id in zone.Gauges)
        {
            if (!registry.SensorsById.TryGetValue(id, out SensorInfo? info))
            {
                continue;
            }

            AlarmLevelsView? levels = AlarmLevelsView.From(info.AlarmLevels);
            bool verified = info.AlarmLevels?.Verified ?? false;
            GaugeState? state = _state.State.Gauges.Find(g => string.Equals(g.Id, id, StringComparison.Ordinal));
            if (state is null || state.Samples.Count == 0)
            {
                gauges.Add(new GaugeView(id, info.Name, null, 0, null, null, verified, null, Freshness.Never, levels, null));
                continue;
            }

            GaugeSample last = state.Samples[^1];
            bool current = Freshness.IsCurrent(last.TsMs, info.ReportingIntervalSeconds, now);
            anyCurrent |= current;
            NextAlarm? gaugeNext = current && info.AlarmLevels is { } a ? Estimate(id, a, state.Samples, flood) : null;
            if (gaugeNext is not null && (next is null || gaugeNext.At < next.At))
            {
                next = gaugeNext;
            }

            int alarm = state.Held.Level;
            var g = new GaugeView(
                id,
                info.Name,
                current ? last.LevelM : null,
                alarm,
                DateTimeOffset.FromUnixTimeMilliseconds(last.TsMs),
                current ? ZoneStatus.RisePerHour(state.Samples, now) : null,
                verified,
                last.LevelM,
                current ? Freshness.Current : Freshness.Stale,
                levels,
                gaugeNext);
            gauges.Add(g);
            held[reporting++] = state.Held;
            if (worst is null || alarm > worst.Alarm || (alarm == worst.Alarm && Margin(info, g) > Margin(worstInfo!, worst)))
            {
                worst = g;
                worstInfo = info;
            }
        }

        int level = ZoneLevelTracker.ZoneLevel(held[..reporting], zone.KOfN);
        string freshness = anyCurrent ? Freshness.Current : reporting > 0 ? Freshness.Stale : Freshness.Never;
        return new ZoneView(
            zone.Id,
            zone.Province,
            zone.Name,
            zone.Area,
            level,
            ZoneStatus.LevelName(level),
            worst?.LastLevelM,
            worst?.RiseMPerHour,
            gauges,
            zone.Polygon,
            worst?.Ts,
            freshness,
            next);
    }

    private static NextAlarm? Estimate(string id, Registry.AlarmLevels levels, List<GaugeSample> samples, FloodLevelOptions options)
    {
        var span = new LevelSample[samples.Count];
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = new LevelSample(samples[i].TsMs, samples[i].LevelM);
        }

        return AlarmEtaEstimator.Estimate(span, levels.ToRuleLevels(), id, options);
    }

    // How far above alarm I a gauge stands, in its own metres: breaks ties between gauges at the same alarm.
    private static double Margin(SensorInfo info, GaugeView g) => (g.LastLevelM ?? 0) - (info.AlarmLevels?.Lowest ?? 0);

    private async ValueTask WriteStatusAsync(ZoneView view, long readingTsMs)
    {
        (KeyValuePair<string, string>[] tags, FieldValue[] fields) = PointWriterExtensions.Scratch();
        tags[0] = new("province", view.Province);
        tags[1] = new("zone", view.Id);
        fields[0] = FieldValue.Integer("level", view.Level);
        int nf = 1;
        if (view.MaxLevelM is { } max)
        {
            fields[nf++] = FieldValue.Float("max_level_m", max);
        }

        var point = new PointData("zone_status", tags.AsMemory(0, 2), fields.AsMemory(0, nf), readingTsMs * 1_000_000);
        await services.Writer.WriteAsync(point, CancellationToken.None);
        if (_state.State.LastWrittenLevel != view.Level)
        {
            Log.LevelChanged(services.Logger, view.Id, _state.State.LastWrittenLevel, view.Level, view.MaxLevelM ?? double.NaN);
            _state.State.LastWrittenLevel = view.Level;
            _dirty = true;
        }
    }

    private async Task WriteStateAsync(CancellationToken cancellationToken)
    {
        await _state.WriteStateAsync(cancellationToken);
        _dirty = false;
    }
}
