using Resilience.Ingest.Pipeline;
using Resilience.Silo.Api;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Sensors;
using Resilience.Silo.Tests.Support;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Tests.Zones;

public sealed class ZoneStatusTests
{
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void RisePerHour_OverTheLastHour_InMetresPerHour()
    {
        var samples = new List<GaugeSample>
        {
            new(s_t0 - 7_200_000, 0.0),
            new(s_t0 - 3_600_000, 1.0),
            new(s_t0 - 1_800_000, 1.3),
            new(s_t0, 1.5),
        };

        ZoneStatus.RisePerHour(samples, s_t0).Should().BeApproximately(0.5, 1e-9);
        ZoneStatus.RisePerHour([new(s_t0 - 60_000, 1.0), new(s_t0, 1.1)], s_t0).Should().BeNull("one minute is too short a span");
    }

    [Fact]
    public async Task ReportGauge_TwoOfTwoRequired_LevelFollowsTheLowerGauge()
    {
        await using TestSilo silo = await TestSilo.StartAsync();

        // g2 levels 1.0/1.5/2.0; g3 (own datum) 6.5/8.0/9.0: never compare stages across stations.
        await silo.Grain<ISensorGrain>("g2").RecordAsync(SensorGrainTests.Reading(s_t0, -1, (Quantity.WaterLevel, 2.2)));
        ZoneView afterOne = await SensorGrainTests.ZoneViewAsync(silo, "z2");
        afterOne.Level.Should().Be(0, "only one of the two required gauges reports");

        await silo.Grain<ISensorGrain>("g3").RecordAsync(SensorGrainTests.Reading(s_t0, -1, (Quantity.WaterLevel, 8.1)));
        ZoneView afterTwo = await SensorGrainTests.ZoneViewAsync(silo, "z2");

        afterTwo.Level.Should().Be(2);
        afterTwo.LevelName.Should().Be("alarm II");
        afterTwo.Gauges.Should().Contain(g => g.Id == "g2" && g.Alarm == 3).And.Contain(g => g.Id == "g3" && g.Alarm == 2);
        afterTwo.MaxLevelM.Should().Be(2.2, "the worst gauge is g2 (alarm III)");
    }

    [Fact]
    public async Task ReportGauge_LevelChanges_WritesZoneStatusOnChangeOnlyAtTheReadingsTime()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        long t0 = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();

        await g1.RecordAsync(SensorGrainTests.Reading(t0, -1, (Quantity.WaterLevel, 0.5)));
        await g1.RecordAsync(SensorGrainTests.Reading(t0 + 600_000, -1, (Quantity.WaterLevel, 0.6)));
        await g1.RecordAsync(SensorGrainTests.Reading(t0 + 1_800_000, -1, (Quantity.WaterLevel, 1.0)));

        silo.Writer.Of("zone_status").Select(p => p.Fields["level"]).Should().Equal(0L, 1L);
        silo.Writer.Of("zone_status").Select(p => p.TimestampNs).Should().Equal(t0 * 1_000_000, (t0 + 1_800_000) * 1_000_000);
        silo.Time.GetUtcNow().ToUnixTimeMilliseconds().Should().NotBe(t0 + 1_800_000, "the silo clock is elsewhere");
        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(t0 + 1_860_000));
        ZoneView view = await SensorGrainTests.ZoneViewAsync(silo, "z1");
        view.RiseMPerHour.Should().BeApproximately(1.0, 1e-9);
    }

    [Fact]
    public async Task ReportGauge_AnHourAstrideAlarmIIThenRecession_ZoneLevelChangesOncePerPersistentLevel()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1"); // I 1.0, II 2.0, III 2.5
        var levels = new List<int>();
        long ts = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();
        async Task ReadAsync(double value, int everyMinutes = 1)
        {
            await g1.RecordAsync(SensorGrainTests.Reading(ts, -1, (Quantity.WaterLevel, value)));
            silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ts + 1_000));
            levels.Add((await SensorGrainTests.ZoneViewAsync(silo, "z1")).Level);
            ts += everyMinutes * 60_000L;
        }

        for (double v = 1.5; v < 2.05; v += 0.01)
        {
            await ReadAsync(v);
        }

        // ± 2 cm every 2 minutes (1.2 m/h: under g1's 2 m/h spike limit, so every reading counts).
        for (int minute = 0; minute < 60; minute += 2)
        {
            await ReadAsync(minute % 4 == 0 ? 2.02 : 1.98, everyMinutes: 2);
        }

        for (double v = 1.97; v > 0.5; v -= 0.02)
        {
            await ReadAsync(v);
        }

        for (int minute = 0; minute < 25; minute++)
        {
            await ReadAsync(0.5);
        }

        var changes = new List<int> { levels[0] };
        foreach (int level in levels)
        {
            if (level != changes[^1])
            {
                changes.Add(level);
            }
        }

        changes.Should().Equal(1, 2, 1, 0);
        levels.Count(l => l == 2).Should().BeGreaterThan(30, "the hour astride II holds at II");
        silo.Writer.Of("zone_status").Select(p => p.Fields["level"]).Should().Equal(1L, 2L, 1L, 0L);
    }

    [Fact]
    public async Task GetView_GaugeFallsSilent_IsStaleAndItsLevelIsNoLongerShownAsCurrent()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        long ts = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (int minute = 0; minute <= 40; minute++)
        {
            // A steady rise of 0.6 m/h towards alarm II (2.0).
            await silo.Grain<ISensorGrain>("g1").RecordAsync(SensorGrainTests.Reading(ts + (minute * 60_000L), -1, (Quantity.WaterLevel, 1.1 + (0.01 * minute))));
        }

        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ts + (40 * 60_000L) + 30_000));
        ZoneView live = await SensorGrainTests.ZoneViewAsync(silo, "z1");
        GaugeView gauge = live.Gauges.Single(g => g.Id == "g1");
        live.Freshness.Should().Be("current");
        gauge.Freshness.Should().Be("current");
        gauge.LevelM.Should().BeApproximately(1.5, 1e-9);
        gauge.AlarmLevels.Should().Be(new AlarmLevelsView(1.0, 2.0, 2.5, "test", false));
        gauge.NextAlarm.Should().NotBeNull();
        gauge.NextAlarm!.LevelName.Should().Be("II");
        gauge.NextAlarm.RateMPerHour.Should().Be(0.6);
        gauge.NextAlarm.EtaSeconds.Should().BeInRange(2990, 3010, "0.5 m at 0.6 m/h = 50 min");
        live.NextAlarm.Should().Be(gauge.NextAlarm);
        SensorView sensor = await SensorGrainTests.ViewAsync(silo, "g1", false);
        sensor.LevelM.Should().BeApproximately(1.5, 1e-9);
        sensor.NextAlarm.Should().Be(gauge.NextAlarm);
        sensor.StaleAfterSeconds.Should().Be(180);

        // Silent for 3 minutes and 1 second past the last reading's time: 3× the 60-s interval.
        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ts + (43 * 60_000L) + 1_000));
        ZoneView stale = await SensorGrainTests.ZoneViewAsync(silo, "z1");
        GaugeView silent = stale.Gauges.Single(g => g.Id == "g1");
        stale.Freshness.Should().Be("stale");
        stale.NextAlarm.Should().BeNull();
        silent.Freshness.Should().Be("stale");
        silent.LevelM.Should().BeNull("a stale level is not the current level");
        silent.LastLevelM.Should().BeApproximately(1.5, 1e-9);
        silent.Ts.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(ts + (40 * 60_000L)));
        silent.NextAlarm.Should().BeNull();
        SensorView staleSensor = await SensorGrainTests.ViewAsync(silo, "g1", false);
        staleSensor.Freshness.Should().Be("stale");
        staleSensor.LevelM.Should().BeNull();
        staleSensor.LastLevelM.Should().BeApproximately(1.5, 1e-9);
        staleSensor.Values["water_level"].Current.Should().BeFalse();
        staleSensor.Values["water_level"].Value.Should().BeApproximately(1.5, 1e-9, "the last value stays visible, marked not current");
        staleSensor.NextAlarm.Should().BeNull();
    }

    [Fact]
    public async Task GetView_NeverHeardFrom_IsNever()
    {
        await using TestSilo silo = await TestSilo.StartAsync();

        ZoneView view = await SensorGrainTests.ZoneViewAsync(silo, "z2");
        SensorView sensor = await SensorGrainTests.ViewAsync(silo, "g2", false);

        view.Freshness.Should().Be("never");
        view.Gauges.Should().OnlyContain(g => g.Freshness == "never" && g.LevelM == null && g.AlarmLevels != null);
        sensor.Freshness.Should().Be("never");
        sensor.Ts.Should().BeNull();
        sensor.LevelM.Should().BeNull();
    }

    [Fact]
    public async Task GetView_GaugeWithPartlyUnknownLevels_ShowsNullsAndSkipsTheUnknownLevel()
    {
        SensorRegistry registry = RegistryLoader.Parse("""
            provinces: [{ id: danang, name: Đà Nẵng }]
            zones: [{ id: zc, province: danang, name: Cẩm Lệ }]
            sensors:
              - id: camle
                province: danang
                kind: water_level
                zone: zc
                lat: 16.0
                lon: 108.2
                reportingIntervalSeconds: 60
                alarmLevels: { I: null, II: 2.0, III: 2.5, source: "https://tienphong.vn/x", verified: false }
            """, "test");
        await using TestSilo silo = await TestSilo.StartAsync(registry: registry);
        long ts = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (int minute = 0; minute <= 30; minute++)
        {
            await silo.Grain<ISensorGrain>("camle").RecordAsync(SensorGrainTests.Reading(ts + (minute * 60_000L), -1, (Quantity.WaterLevel, 1.2 + (0.01 * minute))));
        }

        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ts + (30 * 60_000L)));
        ZoneView zone = await SensorGrainTests.ZoneViewAsync(silo, "zc");
        SensorView sensor = await SensorGrainTests.ViewAsync(silo, "camle", false);

        zone.Level.Should().Be(0, "1.5 m is below the only known level that low (II 2.0); alarm I is unknown");
        zone.Gauges[0].AlarmLevels.Should().Be(new AlarmLevelsView(null, 2.0, 2.5, "https://tienphong.vn/x", false));
        sensor.AlarmLevels!.I.Should().BeNull();
        zone.NextAlarm!.LevelName.Should().Be("II", "the next known level");
        zone.NextAlarm.ThresholdM.Should().Be(2.0);
    }

    [Fact]
    public async Task ZoneTimer_EveryZoneStatusInterval_RepeatsTheCurrentLevel()
    {
        await using TestSilo silo = await TestSilo.StartAsync(silo: o => o.ZoneStatusInterval = TimeSpan.FromMilliseconds(200));

        await silo.Grain<ISensorGrain>("g1").RecordAsync(SensorGrainTests.Reading(s_t0, -1, (Quantity.WaterLevel, 1.2)));
        await SensorGrainTests.PollAsync(() => silo.Writer.Of("zone_status").Count >= 3);

        silo.Writer.Of("zone_status").Select(p => p.Fields["level"]).Should().AllBeEquivalentTo(1L, "the zone's own timer repeats its level");
        silo.Writer.Of("zone_status").Should().OnlyContain(p => p.TimestampNs == s_t0 * 1_000_000, "stamped with the newest reading, not the silo clock");
    }
}
