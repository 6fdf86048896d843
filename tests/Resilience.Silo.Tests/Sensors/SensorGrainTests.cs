using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Sensors;

public sealed class SensorGrainTests
{
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecordAsync_NewReading_UpdatesLatestAndWritesPoints()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");

        RecordOutcome outcome = await g1.RecordAsync(Reading(s_t0, 1, (Quantity.WaterLevel, 0.8), (Quantity.Battery, 3.9)), Ct);

        outcome.Should().Be(RecordOutcome.Accepted);
        SensorView view = (await g1.GetViewAsync(includeHistory: true, Ct))!;
        view.Values["water_level"].Value.Should().Be(0.8);
        view.Values["battery"].Value.Should().Be(3.9);
        view.Online.Should().BeTrue();
        view.History!.Should().ContainSingle().Which.Values.Should().ContainKey("water_level");

        RecordedPoint water = silo.Writer.Of("water").Should().ContainSingle().Subject;
        water.Tags.Should().BeEquivalentTo(new Dictionary<string, string> { ["province"] = "danang", ["zone"] = "z1", ["sensor"] = "g1" });
        water.Fields["level"].Should().Be(0.8);
        water.TimestampNs.Should().Be(s_t0 * 1_000_000);
        silo.Writer.Of("device").Should().ContainSingle().Which.Tags.Should().NotContainKey("zone");
    }

    [Fact]
    public async Task RecordAsync_SameSeqTwice_SecondDroppedAndNotStored()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(Reading(s_t0, 7, (Quantity.WaterLevel, 0.5)), Ct);
        RecordOutcome second = await g1.RecordAsync(Reading(s_t0, 7, (Quantity.WaterLevel, 0.5)), Ct);

        second.Should().Be(RecordOutcome.Duplicate);
        silo.Writer.Of("water").Should().HaveCount(1);
    }

    [Fact]
    public async Task RecordAsync_LateSeqNeverSeen_AcceptedAsOutOfOrder()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(Reading(s_t0 + 60_000, 11, (Quantity.WaterLevel, 0.6)), Ct);
        RecordOutcome late = await g1.RecordAsync(Reading(s_t0, 10, (Quantity.WaterLevel, 0.5)), Ct);

        late.Should().Be(RecordOutcome.OutOfOrder);
        silo.Writer.Of("water").Should().HaveCount(2, "an out-of-order reading is still stored");
        SensorView view = (await g1.GetViewAsync(false, Ct))!;
        view.Values["water_level"].Value.Should().Be(0.6, "an older reading does not move latest");
        (await g1.RecordAsync(Reading(s_t0, 10, (Quantity.WaterLevel, 0.5)), Ct)).Should().Be(RecordOutcome.Duplicate);
    }

    [Fact]
    public async Task RecordAsync_DuplicateAfterDeactivation_StillDropped()
    {
        await using TestSilo silo = TestSilo.Create(o => o.IdleDeactivationAge = TimeSpan.FromMinutes(1));
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 42, (Quantity.WaterLevel, 0.5)), Ct);

        silo.Time.Advance(TimeSpan.FromMinutes(5));
        await PollAsync(() =>
        {
            silo.Runtime.Sweep();
            return !g1.IsActive;
        });

        (await g1.RecordAsync(Reading(s_t0, 42, (Quantity.WaterLevel, 0.5)), Ct)).Should().Be(RecordOutcome.Duplicate);
        silo.Runtime.Metrics.ActivationsTotal.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task RecordAsync_DeviceRestartedCounter_NewerReadingAccepted()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 1000, (Quantity.WaterLevel, 0.5)), Ct);

        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1, (Quantity.WaterLevel, 0.6)), Ct)).Should().Be(RecordOutcome.Accepted);
        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1, (Quantity.WaterLevel, 0.6)), Ct)).Should().Be(RecordOutcome.Duplicate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordAsync_OneForgedHugeSeq_LaterRealReadingsAcceptedAndNothingPersists(bool forgedWithTs)
    {
        await using TestSilo silo = TestSilo.Create(o => o.IdleDeactivationAge = TimeSpan.FromMinutes(1));
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 1234, (Quantity.WaterLevel, 0.5)), Ct);

        // The audit's attack: one reading with seq 9e18 (its ts the device's, or the receive time when absent).
        long forgedTs = forgedWithTs ? s_t0 + 30_000 : s_t0 + 1_000;
        (await g1.RecordAsync(Reading(forgedTs, 9_000_000_000_000_000_000, (Quantity.WaterLevel, 0.5)), Ct)).Should().NotBe(RecordOutcome.Duplicate);
        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1235, (Quantity.WaterLevel, 0.51)), Ct)).Should().Be(RecordOutcome.Accepted);

        // Deactivate (state written and read back, as across a restart): the real counter still goes through.
        silo.Time.Advance(TimeSpan.FromMinutes(5));
        await PollAsync(() =>
        {
            silo.Runtime.Sweep();
            return !g1.IsActive;
        });
        (await g1.RecordAsync(Reading(s_t0 + 120_000, 1236, (Quantity.WaterLevel, 0.52)), Ct)).Should().Be(RecordOutcome.Accepted);
        (await g1.RecordAsync(Reading(s_t0 + 120_000, 1236, (Quantity.WaterLevel, 0.52)), Ct)).Should().Be(RecordOutcome.Duplicate);

        SensorView view = (await g1.GetViewAsync(false, Ct))!;
        view.Values["water_level"].Value.Should().Be(0.52);
        view.Duplicates.Should().Be(1, "duplicates are counted per sensor, not silently absorbed");
    }

    [Fact]
    public async Task RecordAsync_OutsideHardLimits_FlaggedStoredButNotLatest()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)), Ct);

        (await g1.RecordAsync(Reading(s_t0 + 60_000, -1, (Quantity.WaterLevel, 99.0)), Ct)).Should().Be(RecordOutcome.Rejected);

        SensorView view = (await g1.GetViewAsync(false, Ct))!;
        view.Flags.Should().Contain("outOfRange");
        view.Values["water_level"].Value.Should().Be(0.5);
        silo.Writer.Of("water").Should().HaveCount(2);

        await g1.RecordAsync(Reading(s_t0 + 120_000, -1, (Quantity.WaterLevel, 0.55)), Ct);
        (await g1.GetViewAsync(false, Ct))!.Flags.Should().NotContain("outOfRange");
    }

    [Fact]
    public async Task RecordAsync_RiseFasterThanLimit_FlaggedSpike()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)), Ct);

        // +0.2 m in one minute = 12 m/h > 2 m/h.
        await g1.RecordAsync(Reading(s_t0 + 60_000, -1, (Quantity.WaterLevel, 0.7)), Ct);
        (await g1.GetViewAsync(false, Ct))!.Flags.Should().Contain("spike");

        // +0.01 m in one minute = 0.6 m/h: fine again.
        await g1.RecordAsync(Reading(s_t0 + 120_000, -1, (Quantity.WaterLevel, 0.71)), Ct);
        (await g1.GetViewAsync(false, Ct))!.Flags.Should().NotContain("spike");
    }

    [Fact]
    public async Task RecordAsync_SameValueLongerThanFlatLinePeriod_FlaggedFlatLine()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");

        for (int minute = 0; minute <= 30; minute += 5)
        {
            await g1.RecordAsync(Reading(s_t0 + (minute * 60_000L), -1, (Quantity.WaterLevel, 1.234)), Ct);
        }

        (await g1.GetViewAsync(false, Ct))!.Flags.Should().Contain("flatLine", "30 minutes unchanged (limit 30)");
        await g1.RecordAsync(Reading(s_t0 + (35 * 60_000L), -1, (Quantity.WaterLevel, 1.24)), Ct);
        (await g1.GetViewAsync(false, Ct))!.Flags.Should().NotContain("flatLine");
    }

    [Fact]
    public async Task LivenessSweep_NoDataFor3Intervals_MarksStaleAndOffline()
    {
        await using TestSilo silo = TestSilo.Create();
        GrainReference<ISensorGrain> g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)), Ct);

        silo.Time.Advance(TimeSpan.FromSeconds(170));
        silo.Liveness.Sweep().Should().Be(0, "3 x 60 s have not passed");
        silo.Time.Advance(TimeSpan.FromSeconds(20));
        silo.Liveness.Sweep().Should().Be(4, "g1 and the three 60-s sensors that never reported; a1 reports every 300 s");
        silo.Liveness.Sweep().Should().Be(0, "a sensor goes offline once");

        SensorView view = (await g1.GetViewAsync(false, Ct))!;
        view.Online.Should().BeFalse();
        view.Flags.Should().StartWith("stale");
        view.LastSeen.Should().NotBeNull();
    }

    [Fact]
    public async Task RecordAsync_WaterLevel_ReachesItsZone()
    {
        await using TestSilo silo = TestSilo.Create();
        await silo.Grain<ISensorGrain>("g1").RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 2.1)), Ct);

        ZoneView zone = (await silo.Grain<Resilience.Silo.Zones.IFloodZoneGrain>("z1").InvokeAsync(0, static (g, _) => g.GetViewAsync(), Ct))!;

        zone.Level.Should().Be(2);
        zone.MaxLevelM.Should().Be(2.1);
        silo.Writer.Of("zone_status").Should().ContainSingle().Which.Fields["level"].Should().Be(2L);
    }

    [Fact]
    public async Task RecordAsync_UnknownSensor_ReportsUnknown()
    {
        await using TestSilo silo = TestSilo.Create();

        (await silo.Grain<ISensorGrain>("nope").RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 1)), Ct)).Should().Be(RecordOutcome.UnknownSensor);
        silo.Writer.Points.Should().BeEmpty();
    }

    [Fact]
    public void HistoryBuffer_PackUnpack_RoundTripsAndTrimsToTheWindow()
    {
        var h = new HistoryBuffer();
        for (int i = 0; i < 120; i++)
        {
            h.Append(s_t0 + (i * 60_000L), Quantity.WaterLevel, i * 0.01, TimeSpan.FromHours(1));
        }

        h.Count.Should().BeInRange(61, 120);
        HistoryBuffer back = HistoryBuffer.Unpack(h.Pack(s_t0 + (59 * 60_000L)));
        List<(long TsMs, Quantity Quantity, double Value)> values = back.Snapshot(0);
        values.Should().HaveCount(61);
        values[^1].Value.Should().BeApproximately(1.19, 1e-6);
        values[0].TsMs.Should().Be(s_t0 + (59 * 60_000L));
    }

    internal static SensorReading Reading(long tsMs, long seq, params (Quantity Q, double V)[] values) =>
        new(tsMs, seq, values.Select(v => new QuantityValue(v.Q, v.V)).ToArray());

    private static async Task PollAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
