using Resilience.Alerts.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Sensors;
using Resilience.Silo.Tests.Support;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Tests.Contracts;

/// <summary>
/// A type without an Orleans codec compiles and fails only at run time (CodecNotFoundException) on its first
/// call or state write. These tests call every grain method once and push every message and state type through
/// Orleans' serializer, so a missing <c>[GenerateSerializer]</c> fails here, not in production.
/// </summary>
public sealed class GrainContractTests
{
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task EveryGrainMethod_CalledOnce_Answers()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        ISensorGrain g1 = silo.Grain<ISensorGrain>("g1");
        IFloodZoneGrain z1 = silo.Grain<IFloodZoneGrain>("z1");
        IAirStationGrain a1 = silo.Grain<IAirStationGrain>("a1");

        (await g1.RecordAsync(SensorGrainTests.Reading(s_t0, 1, (Quantity.WaterLevel, 1.1)))).Should().Be(RecordOutcome.Accepted);
        await g1.SetStatusAsync(online: true, s_t0);
        (await g1.GetSnapshotAsync(includeHistory: true))!.History.Should().ContainSingle();
        await z1.ReportGaugeAsync(new GaugeReading("g1", s_t0 + 1000, 1.2));
        (await z1.GetSnapshotAsync())!.Worst!.LevelM.Should().Be(1.2);
        await a1.RecordAsync(new AirSample(s_t0, [new QuantityValue(Quantity.O3, 120)]));
        (await a1.GetSnapshotAsync())!.Pollutants.Should().Contain(p => p.Name == "o3");
        (await silo.Grain<IAirStationGrain>("nope").GetSnapshotAsync()).Should().BeNull();
    }

    [Fact]
    public async Task EveryMessageAndStateType_RoundTripsThroughTheOrleansSerializer()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        Serializer serializer = silo.Services.GetRequiredService<Serializer>();

        RoundTrip(serializer, SensorGrainTests.Reading(s_t0, 7, (Quantity.WaterLevel, 1.5), (Quantity.Battery, 3.9)))
            .Values.Should().Equal(new QuantityValue(Quantity.WaterLevel, 1.5), new QuantityValue(Quantity.Battery, 3.9));
        var state = new SensorState { MaxSeq = 9, SeqWindow = 5, Latest = [new LatestValue(Quantity.WaterLevel, 1.5, s_t0)], History = [1, 2, 3], Flags = QualityFlags.Spike, LastSeenMs = s_t0, StatusOffline = true };
        RoundTrip(serializer, state).Should().BeEquivalentTo(state);
        var snapshot = new SensorSnapshot([new LatestValue(Quantity.Pm25, 12, s_t0)], QualityFlags.FlatLine, s_t0, false, [new HistorySample(s_t0, Quantity.Pm25, 12)]);
        RoundTrip(serializer, snapshot).Should().BeEquivalentTo(snapshot);
        RoundTrip(serializer, RecordOutcome.OutOfOrder).Should().Be(RecordOutcome.OutOfOrder);

        var zone = new ZoneState { LastWrittenLevel = 2, Gauges = [new GaugeState { Id = "g1", Samples = [new GaugeSample(s_t0, 2.2)], Held = new GaugeLevelState(2, s_t0, s_t0 - 60_000, 3) }] };
        RoundTrip(serializer, zone).Should().BeEquivalentTo(zone);
        RoundTrip(serializer, zone).Gauges[0].Held.Should().Be(new GaugeLevelState(2, s_t0, s_t0 - 60_000, 3));
        RoundTrip(serializer, new GaugeReading("g1", s_t0, 2.2, Suspect: true)).Should().Be(new GaugeReading("g1", s_t0, 2.2, Suspect: true));
        var next = new NextAlarm(3, "III", 2.5, 0.6, 1800, DateTimeOffset.FromUnixTimeMilliseconds(s_t0 + 1_800_000), "g1");
        RoundTrip(serializer, next).Should().Be(next);
        var gauge = new GaugeSnapshot("g1", 2.2, 2, s_t0, 0.5, "current", next);
        RoundTrip(serializer, new ZoneSnapshot(2, [gauge], gauge, "current", next)).Should().BeEquivalentTo(new ZoneSnapshot(2, [gauge], gauge, "current", next));

        var air = new AirStationState { CurrentHourMs = s_t0, Hours = [new HourlyMeans { HourMs = s_t0 - 3_600_000 }], AqiHistory = [new AqiPoint(s_t0, 55)], LastVnAqi = 55 };
        RoundTrip(serializer, air).Should().BeEquivalentTo(air);
        RoundTrip(serializer, new AirSample(s_t0, [new QuantityValue(Quantity.No2, 118.7)])).Values.Should().ContainSingle().Which.Value.Should().Be(118.7);
        var aqi = new AirQualitySnapshot(59, 80, "no2", [new PollutantSnapshot("no2", 118.7, 59)], s_t0, [new AqiPoint(s_t0, 59)]);
        RoundTrip(serializer, aqi).Should().BeEquivalentTo(aqi);
    }

    private static T RoundTrip<T>(Serializer serializer, T value) => serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
}
