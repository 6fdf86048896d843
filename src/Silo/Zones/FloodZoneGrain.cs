using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Zones;

/// <summary>
/// The status of one flood zone from its gauges: the worst gauge against its alarm levels (k of n), with the
/// rate of rise over the last hour. Written to <c>zone_status</c> when the level changes and periodically.
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
            _rules = await alerting.LoadAsync(AlertSubjects.For(zone), AlertSubjects.Context(zone), static r => r.Kind == RuleKind.Zone, cancellationToken);
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
        _dirty = true;

        ZoneView? view = BuildView();
        if (view is not null && view.Level != _state.State.LastWrittenLevel)
        {
            await WriteStatusAsync(view);
        }

        if (view is not null && _rules is not null)
        {
            // The k-of-n level of the zone, judged at the time of the gauge reading that changed it.
            await _rules.EvaluateAsync(DefaultRules.ZoneLevelQuantity, new Reading(DateTimeOffset.FromUnixTimeMilliseconds(reading.TsMs), view.Level));
        }
    }

    /// <summary>Writes the current status to <c>zone_status</c> (the periodic write).</summary>
    public async ValueTask PublishStatusAsync()
    {
        ZoneView? view = BuildView();
        if (view is not null && view.MaxLevelM is not null)
        {
            await WriteStatusAsync(view);
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
        var gauges = new List<GaugeView>(zone.Gauges.Count);
        Span<int> alarms = stackalloc int[zone.Gauges.Count];
        int reporting = 0;
        GaugeView? worst = null;
        SensorInfo? worstInfo = null;
        foreach (string id in zone.Gauges)
        {
            if (!registry.SensorsById.TryGetValue(id, out SensorInfo? info))
            {
                continue;
            }

            GaugeState? state = _state.State.Gauges.Find(g => string.Equals(g.Id, id, StringComparison.Ordinal));
            if (state is null || state.Samples.Count == 0)
            {
                gauges.Add(new GaugeView(id, info.Name, null, 0, null, null, info.AlarmLevels?.Verified ?? false));
                continue;
            }

            GaugeSample last = state.Samples[^1];
            int alarm = ZoneStatus.Alarm(info, last.LevelM);
            var g = new GaugeView(id, info.Name, last.LevelM, alarm, DateTimeOffset.FromUnixTimeMilliseconds(last.TsMs), ZoneStatus.RisePerHour(state.Samples, now), info.AlarmLevels?.Verified ?? false);
            gauges.Add(g);
            alarms[reporting++] = alarm;
            if (worst is null || alarm > worst.Alarm || (alarm == worst.Alarm && Margin(info, g) > Margin(worstInfo!, worst)))
            {
                worst = g;
                worstInfo = info;
            }
        }

        int level = ZoneStatus.ZoneLevel(alarms[..reporting], zone.KOfN);
        return new ZoneView(
            zone.Id,
            zone.Province,
            zone.Name,
            zone.Area,
            level,
            ZoneStatus.LevelName(level),
            worst?.LevelM,
            worst?.RiseMPerHour,
            gauges,
            zone.Polygon,
            worst?.Ts);
    }

    // How far above alarm I a gauge stands, in its own metres: breaks ties between gauges at the same alarm.
    private static double Margin(SensorInfo info, GaugeView g) => (g.LevelM ?? 0) - (info.AlarmLevels?.I ?? 0);

    private async ValueTask WriteStatusAsync(ZoneView view)
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

        var point = new PointData("zone_status", tags.AsMemory(0, 2), fields.AsMemory(0, nf), services.NowMs * 1_000_000);
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
