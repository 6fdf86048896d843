using Resilience.Ingest.Pipeline;
using Resilience.Silo.Api;
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
    public async Task ReportGauge_LevelChanges_WritesZoneStatusOnChangeOnly()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(SensorGrainTests.Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));
        await g1.RecordAsync(SensorGrainTests.Reading(s_t0 + 600_000, -1, (Quantity.WaterLevel, 0.6)));
        await g1.RecordAsync(SensorGrainTests.Reading(s_t0 + 1_200_000, -1, (Quantity.WaterLevel, 1.0)));

        silo.Writer.Of("zone_status").Select(p => p.Fields["level"]).Should().Equal(0L, 1L);
        ZoneView view = await SensorGrainTests.ZoneViewAsync(silo, "z1");
        view.RiseMPerHour.Should().BeApproximately(1.5, 1e-9);
    }

    [Fact]
    public async Task ZoneTimer_EveryZoneStatusInterval_RepeatsTheCurrentLevel()
    {
        await using TestSilo silo = await TestSilo.StartAsync(silo: o => o.ZoneStatusInterval = TimeSpan.FromMilliseconds(200));

        await silo.Grain<ISensorGrain>("g1").RecordAsync(SensorGrainTests.Reading(s_t0, -1, (Quantity.WaterLevel, 1.2)));
        await SensorGrainTests.PollAsync(() => silo.Writer.Of("zone_status").Count >= 3);

        silo.Writer.Of("zone_status").Select(p => p.Fields["level"]).Should().AllBeEquivalentTo(1L, "the zone's own timer repeats its level");
    }
}
