using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;
using Resilience.Silo.AirQuality;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.Api;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Sensors;

public sealed class SensorGrainTests
{
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task RecordAsync_NewReading_UpdatesLatestAndWritesPoints()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        RecordOutcome outcome = await g1.RecordAsync(Reading(s_t0, 1, (Quantity.WaterLevel, 0.8), (Quantity.Battery, 3.9)));

        outcome.Should().Be(RecordOutcome.Accepted);
        SensorView view = (await ViewAsync(silo, "g1", true));
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
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(Reading(s_t0, 7, (Quantity.WaterLevel, 0.5)));
        RecordOutcome second = await g1.RecordAsync(Reading(s_t0, 7, (Quantity.WaterLevel, 0.5)));

        second.Should().Be(RecordOutcome.Duplicate);
        silo.Writer.Of("water").Should().HaveCount(1);
    }

    [Fact]
    public async Task WhenDurableAsync_AfterAReading_FlushesTheWriterPastItsPoints()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(new SensorReading(s_t0, 2, [new QuantityValue(Quantity.WaterLevel, 0.6), new QuantityValue(Quantity.Battery, 3.9)], durable: true));
        silo.Writer.Flushes.Should().BeEmpty("recording takes the reading; durability is waited for separately, so the next reading is not held up");
        int written = silo.Writer.Points.Count;

        await g1.WhenDurableAsync();
        silo.Writer.Flushes.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(written, "the flush covers the reading's points (water and device)");
    }

    [Fact]
    public async Task RecordAsync_ADuplicateWaitingForAnAcknowledgement_IsStoredAgain_ButCountedAsADuplicate()
    {
        // The device re-sends a reading whose acknowledgement it never got (its silo died): the first copy may not
        // have reached storage, so the re-sent one is written again (InfluxDB overwrites the same series and time).
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(new SensorReading(s_t0, 7, [new QuantityValue(Quantity.WaterLevel, 0.5)], durable: true));
        RecordOutcome again = await g1.RecordAsync(new SensorReading(s_t0, 7, [new QuantityValue(Quantity.WaterLevel, 0.5)], durable: true));
        RecordOutcome qos0 = await g1.RecordAsync(new SensorReading(s_t0, 7, [new QuantityValue(Quantity.WaterLevel, 0.5)]));

        again.Should().Be(RecordOutcome.Duplicate);
        qos0.Should().Be(RecordOutcome.Duplicate);
        silo.Writer.Of("water").Should().HaveCount(2, "the acknowledged re-send is stored again, the QoS 0 duplicate is not").And.OnlyContain(p => p.TimestampNs == s_t0 * 1_000_000);
        (await ViewAsync(silo, "g1", false)).Duplicates.Should().Be(2);
    }

    [Fact]
    public async Task RecordAsync_LateSeqNeverSeen_AcceptedAsOutOfOrder()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        await g1.RecordAsync(Reading(s_t0 + 60_000, 11, (Quantity.WaterLevel, 0.6)));
        RecordOutcome late = await g1.RecordAsync(Reading(s_t0, 10, (Quantity.WaterLevel, 0.5)));

        late.Should().Be(RecordOutcome.OutOfOrder);
        silo.Writer.Of("water").Should().HaveCount(2, "an out-of-order reading is still stored");
        SensorView view = (await ViewAsync(silo, "g1", false));
        view.Values["water_level"].Value.Should().Be(0.6, "an older reading does not move latest");
        (await g1.RecordAsync(Reading(s_t0, 10, (Quantity.WaterLevel, 0.5)))).Should().Be(RecordOutcome.Duplicate);
    }

    [Fact]
    public async Task RecordAsync_DuplicateAfterDeactivation_StillDropped()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 42, (Quantity.WaterLevel, 0.5)));
        long activations = silo.Metrics.ActivationsTotal;

        await silo.CollectAllAsync();
        await PollAsync(() => silo.Metrics.Active == 0);

        (await g1.RecordAsync(Reading(s_t0, 42, (Quantity.WaterLevel, 0.5)))).Should().Be(RecordOutcome.Duplicate, "the seq window was written on deactivation");
        silo.Metrics.ActivationsTotal.Should().BeGreaterThan(activations, "the sensor was activated again from its state");
        silo.Writer.Of("water").Should().HaveCount(1);
    }

    [Fact]
    public async Task RecordAsync_DeviceRestartedCounter_NewerReadingAccepted()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 1000, (Quantity.WaterLevel, 0.5)));

        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1, (Quantity.WaterLevel, 0.6)))).Should().Be(RecordOutcome.Accepted);
        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1, (Quantity.WaterLevel, 0.6)))).Should().Be(RecordOutcome.Duplicate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordAsync_OneForgedHugeSeq_LaterRealReadingsAcceptedAndNothingPersists(bool forgedWithTs)
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, 1234, (Quantity.WaterLevel, 0.5)));

        // The audit's attack: one reading with seq 9e18 (its ts the device's, or the receive time when absent).
        long forgedTs = forgedWithTs ? s_t0 + 30_000 : s_t0 + 1_000;
        (await g1.RecordAsync(Reading(forgedTs, 9_000_000_000_000_000_000, (Quantity.WaterLevel, 0.5)))).Should().NotBe(RecordOutcome.Duplicate);
        (await g1.RecordAsync(Reading(s_t0 + 60_000, 1235, (Quantity.WaterLevel, 0.51)))).Should().Be(RecordOutcome.Accepted);

        // Deactivate (state written and read back, as across a restart): the real counter still goes through.
        await silo.CollectAllAsync();
        await PollAsync(() => silo.Metrics.Active == 0);
        (await g1.RecordAsync(Reading(s_t0 + 120_000, 1236, (Quantity.WaterLevel, 0.52)))).Should().Be(RecordOutcome.Accepted);
        (await g1.RecordAsync(Reading(s_t0 + 120_000, 1236, (Quantity.WaterLevel, 0.52)))).Should().Be(RecordOutcome.Duplicate);

        SensorView view = await ViewAsync(silo, "g1", false);
        view.Values["water_level"].Value.Should().Be(0.52);
        view.Duplicates.Should().Be(1, "duplicates are counted per sensor, not silently absorbed");
    }

    [Fact]
    public async Task RecordAsync_OutsideHardLimits_FlaggedStoredButNotLatest()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));

        (await g1.RecordAsync(Reading(s_t0 + 60_000, -1, (Quantity.WaterLevel, 99.0)))).Should().Be(RecordOutcome.Rejected);

        SensorView view = (await ViewAsync(silo, "g1", false));
        view.Flags.Should().Contain("outOfRange");
        view.Values["water_level"].Value.Should().Be(0.5);
        silo.Writer.Of("water").Should().HaveCount(2);

        await g1.RecordAsync(Reading(s_t0 + 120_000, -1, (Quantity.WaterLevel, 0.55)));
        (await ViewAsync(silo, "g1", false)).Flags.Should().NotContain("outOfRange");
    }

    [Fact]
    public async Task RecordAsync_RiseFasterThanLimit_FlaggedSpike()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));

        // +0.2 m in one minute = 12 m/h > 2 m/h.
        await g1.RecordAsync(Reading(s_t0 + 60_000, -1, (Quantity.WaterLevel, 0.7)));
        (await ViewAsync(silo, "g1", false)).Flags.Should().Contain("spike");

        // +0.01 m in one minute = 0.6 m/h: fine again.
        await g1.RecordAsync(Reading(s_t0 + 120_000, -1, (Quantity.WaterLevel, 0.71)));
        (await ViewAsync(silo, "g1", false)).Flags.Should().NotContain("spike");
    }

    [Fact]
    public async Task RecordAsync_SameValueLongerThanFlatLinePeriod_FlaggedFlatLine()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");

        for (int minute = 0; minute <= 30; minute += 5)
        {
            await g1.RecordAsync(Reading(s_t0 + (minute * 60_000L), -1, (Quantity.WaterLevel, 1.234)));
        }

        (await ViewAsync(silo, "g1", false)).Flags.Should().Contain("flatLine", "30 minutes unchanged (limit 30)");
        await g1.RecordAsync(Reading(s_t0 + (35 * 60_000L), -1, (Quantity.WaterLevel, 1.24)));
        (await ViewAsync(silo, "g1", false)).Flags.Should().NotContain("flatLine");
    }

    [Fact]
    public async Task StalenessTimer_NoDataFor3Intervals_MarksStaleAndOffline()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain f1 = silo.Grain<ISensorGrain>("f1");
        await f1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));
        (await ViewAsync(silo, "f1", false)).Online.Should().BeTrue();

        // f1 reports every second: silent for more than 3 s by the grains' clock, its own timer marks it stale.
        silo.Time.Advance(TimeSpan.FromSeconds(4));
        await PollAsync(() => silo.Snapshots.Get("f1") is { } s && s.IsStale(silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), 1));

        SensorView view = await ViewAsync(silo, "f1", false);
        view.Online.Should().BeFalse();
        view.Flags.Should().StartWith("stale");
        view.LastSeen.Should().NotBeNull();
        SensorView listed = SensorViews.Build(silo.Registry.Current.SensorsById["f1"], silo.Snapshots.Get("f1"), silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), 0);
        listed.Flags.Should().StartWith("stale", "the listing reads the snapshot the grain published");

        await f1.RecordAsync(Reading(s_t0 + 5000, -1, (Quantity.WaterLevel, 0.5)));
        (await ViewAsync(silo, "f1", false)).Online.Should().BeTrue("new data clears staleness");
    }

    [Fact]
    public async Task StalenessTimer_StaleAndCheckpointed_ArmsAgainWithTheNextReading()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain f1 = silo.Grain<ISensorGrain>("f1");
        IGrainStorage storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        await f1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));

        // Silent past 3 intervals and the 2-minute checkpoint: one tick marks it stale and writes the state, after
        // which the timer has nothing left to do and is released.
        silo.Time.Advance(TimeSpan.FromMinutes(3));
        await PollAsync(() => silo.Snapshots.Get("f1") is { } s && s.IsStale(silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), 1));
        var stored = new GrainState<SensorState>(new SensorState());
        while (stored.State is not { LastSeenMs: > 0 })
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
            await storage.ReadStateAsync(SensorGrain.StateName, f1.GetGrainId(), stored);
        }

        // Data again, then silence: the sensor's own timer must be back to notice it.
        await f1.RecordAsync(Reading(s_t0 + 200_000, -1, (Quantity.WaterLevel, 0.6)));
        (await ViewAsync(silo, "f1", false)).Online.Should().BeTrue();
        silo.Time.Advance(TimeSpan.FromSeconds(4));
        await PollAsync(() => silo.Snapshots.Get("f1") is { } s && s.IsStale(silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), 1));

        (await ViewAsync(silo, "f1", false)).Flags.Should().StartWith("stale");
    }

    [Fact]
    public async Task SetStatusAsync_Offline_MarksStaleUntilData()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        await g1.SetStatusAsync(online: true, silo.Time.GetUtcNow().ToUnixTimeMilliseconds());
        (await ViewAsync(silo, "g1", false)).Online.Should().BeTrue();

        await g1.SetStatusAsync(online: false, silo.Time.GetUtcNow().ToUnixTimeMilliseconds());

        (await ViewAsync(silo, "g1", false)).Flags.Should().StartWith("stale");
        await g1.RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 0.5)));
        (await ViewAsync(silo, "g1", false)).Flags.Should().NotContain("stale");
    }

    [Fact]
    public async Task SnapshotCache_Listing_NeedsNoActivation()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        await silo.Grain<ISensorGrain>("g1").RecordAsync(Reading(s_t0, 1, (Quantity.WaterLevel, 0.8)));
        await silo.CollectAllAsync();
        await PollAsync(() => silo.Metrics.Active == 0);

        SensorSnapshot cached = silo.Snapshots.Get("g1")!;

        cached.Latest.Should().ContainSingle().Which.Value.Should().Be(0.8);
        silo.Snapshots.Get("g2").Should().BeNull("a sensor never heard from has no snapshot");
        silo.Metrics.Active.Should().Be(0, "reading the cache activates nothing");
    }

    [Fact]
    public async Task RecordAsync_WaterLevel_ReachesItsZone()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        await silo.Grain<ISensorGrain>("g1").RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 2.1)));

        ZoneView zone = await ZoneViewAsync(silo, "z1");

        zone.Level.Should().Be(2);
        zone.MaxLevelM.Should().Be(2.1);
        silo.Writer.Of("zone_status").Should().ContainSingle().Which.Fields["level"].Should().Be(2L);
    }

    [Fact]
    public async Task RecordAsync_UnknownSensor_ReportsUnknown()
    {
        await using TestSilo silo = await TestSilo.StartAsync();

        (await silo.Grain<ISensorGrain>("nope").RecordAsync(Reading(s_t0, -1, (Quantity.WaterLevel, 1)))).Should().Be(RecordOutcome.UnknownSensor);
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
        HistorySample[] values = back.Snapshot(0);
        values.Should().HaveCount(61);
        values[^1].Value.Should().BeApproximately(1.19, 1e-6);
        values[0].TsMs.Should().Be(s_t0 + (59 * 60_000L));
    }

    internal static SensorReading Reading(long tsMs, long seq, params (Quantity Q, double V)[] values) =>
        new(tsMs, seq, values.Select(v => new QuantityValue(v.Q, v.V)).ToArray());

    internal static async Task<SensorView> ViewAsync(TestSilo silo, string id, bool includeHistory)
    {
        SensorSnapshot snapshot = (await silo.Grain<ISensorGrain>(id).GetSnapshotAsync(includeHistory))!;
        return SensorViews.Build(silo.Registry.Current.SensorsById[id], snapshot, silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), 0);
    }

    internal static async Task<AirQualityView> AirViewAsync(TestSilo silo, string id)
    {
        AirQualitySnapshot snapshot = (await silo.Grain<IAirStationGrain>(id).GetSnapshotAsync())!;
        return AirQualityViews.Build(silo.Registry.Current.SensorsById[id], snapshot, silo.Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    internal static async Task<ZoneView> ZoneViewAsync(TestSilo silo, string id)
    {
        SensorRegistry registry = silo.Registry.Current;
        Resilience.Silo.Zones.ZoneSnapshot snapshot = (await silo.Grain<Resilience.Silo.Zones.IFloodZoneGrain>(id).GetSnapshotAsync())!;
        return ZoneViews.Build(registry.ZonesById[id], snapshot, registry);
    }

    internal static async Task PollAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
