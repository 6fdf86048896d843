using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Hosting;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Zones;

/// <summary>
/// The status of one flood zone from its gauges: each gauge against its own alarm levels, the zone level k of n
/// (<see cref="ZoneAlarm.Level"/>), the worst gauge's level and rate of rise over the last hour. Writes
/// <c>zone_status</c> when the level changes and, from its own grain timer, every
/// <see cref="SiloOptions.ZoneStatusInterval"/> (replacing a silo-wide publisher); the timer also checkpoints
/// state. Zones are few, so the timer keeps an activated zone active.
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

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyString();
        services.Metrics.Activated();
        _lastWriteMs = services.NowMs;
        if (alerting is not null && services.Registry.Current.ZonesById.TryGetValue(_id, out ZoneInfo? zone))
        {
            _rules = await alerting.LoadAsync(AlertSubjects.For(zone), AlertSubjects.Context(zone), static r => r.Kind == RuleKind.Zone, cancellationToken);
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
        GaugeState? gauge = null;
        foreach (GaugeState g in state.State.Gauges)
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
            state.State.Gauges.Add(gauge);
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

        ZoneSnapshot? snapshot = Evaluate();
        if (snapshot is not null && snapshot.Level != state.State.LastWrittenLevel)
        {
            await WriteStatusAsync(snapshot);
        }

        if (snapshot is not null && _rules is not null)
        {
            // The k-of-n level of the zone, judged at the time of the gauge reading that changed it.
            await _rules.EvaluateAsync(DefaultRules.ZoneLevelQuantity, new Reading(DateTimeOffset.FromUnixTimeMilliseconds(reading.TsMs), snapshot.Level));
        }
    }

    public ValueTask<ZoneSnapshot?> GetSnapshotAsync() => ValueTask.FromResult(Evaluate());

    /// <summary>The periodic tick: the current status to <c>zone_status</c>, then a checkpoint when due.</summary>
    private async Task OnTimerAsync()
    {
        ZoneSnapshot? snapshot = Evaluate();
        if (snapshot?.Worst?.LevelM is not null)
        {
            await WriteStatusAsync(snapshot);
        }

        if (_dirty && services.NowMs - _lastWriteMs >= (long)services.CheckpointInterval.TotalMilliseconds)
        {
            await WriteStateAsync();
        }
    }

    private ZoneSnapshot? Evaluate()
    {
        SensorRegistry registry = services.Registry.Current;
        if (!registry.ZonesById.TryGetValue(_id, out ZoneInfo? zone))
        {
            return null;
        }

        long now = services.NowMs;
        var gauges = new GaugeSnapshot[zone.Gauges.Count];
        Span<byte> alarms = stackalloc byte[zone.Gauges.Count];
        int reporting = 0;
        int n = 0;
        GaugeSnapshot? worst = null;
        SensorInfo? worstInfo = null;
        foreach (string id in zone.Gauges)
        {
            if (!registry.SensorsById.TryGetValue(id, out SensorInfo? info))
            {
                continue;
            }

            GaugeState? gauge = state.State.Gauges.Find(g => string.Equals(g.Id, id, StringComparison.Ordinal));
            if (gauge is null || gauge.Samples.Count == 0)
            {
                gauges[n++] = new GaugeSnapshot(id, null, 0, 0, null);
                continue;
            }

            GaugeSample last = gauge.Samples[^1];
            int alarm = ZoneStatus.Alarm(info, last.LevelM);
            var g = new GaugeSnapshot(id, last.LevelM, alarm, last.TsMs, ZoneStatus.RisePerHour(gauge.Samples, now));
            gauges[n++] = g;
            alarms[reporting++] = (byte)alarm;
            if (worst is null || alarm > worst.Alarm || (alarm == worst.Alarm && Margin(info, g) > Margin(worstInfo!, worst)))
            {
                worst = g;
                worstInfo = info;
            }
        }

        int level = reporting < zone.KOfN ? 0 : ZoneAlarm.Level(alarms[..reporting], zone.KOfN);
        return new ZoneSnapshot(level, n == gauges.Length ? gauges : gauges[..n], worst);
    }

    // How far above alarm I a gauge stands, in its own metres: breaks ties between gauges at the same alarm.
    private static double Margin(SensorInfo info, GaugeSnapshot g) => (g.LevelM ?? 0) - (info.AlarmLevels?.I ?? 0);

    private async ValueTask WriteStatusAsync(ZoneSnapshot snapshot)
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

        var point = new PointData("zone_status", tags.AsMemory(0, 2), fields.AsMemory(0, nf), services.NowMs * 1_000_000);
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
}
