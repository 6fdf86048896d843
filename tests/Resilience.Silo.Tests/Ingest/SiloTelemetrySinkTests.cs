using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Ingest;

public sealed class SiloTelemetrySinkTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnTelemetryAsync_RegisteredSensor_ReachesItsGrain()
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloTelemetrySink sink = Sink(silo);
        var reading = new TelemetryReading("g1", "danang", s_t0) { Seq = 5, HasDeviceTimestamp = true };
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.WaterLevel, 1.25);
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.Battery, 3.9);

        await sink.OnTelemetryAsync(new[] { reading, reading }, Ct);

        SensorView view = (await silo.Grain<ISensorGrain>("g1").GetViewAsync(false, Ct))!;
        view.Values["water_level"].Value.Should().Be(1.25);
        view.Values["water_level"].Ts.Should().Be(s_t0);
        silo.Writer.Of("water").Should().HaveCount(1, "the second copy has the same seq");
        sink.Rejected.Should().Be(0);
    }

    [Theory]
    [InlineData("ghost", "danang")]
    [InlineData("g1", "hanoi")]
    public async Task OnTelemetryAsync_UnknownSensorOrWrongProvince_DroppedWithoutThrowing(string sensorId, string province)
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloTelemetrySink sink = Sink(silo);
        var reading = new TelemetryReading(sensorId, province, s_t0);
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.WaterLevel, 1.0);

        await sink.OnTelemetryAsync(new[] { reading }, Ct);

        sink.Rejected.Should().Be(1);
        silo.Writer.Points.Should().BeEmpty();
    }

    [Fact]
    public async Task OnStatusAsync_Offline_MarksTheSensorOffline()
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloTelemetrySink sink = Sink(silo);
        SensorInfo g1 = silo.Registry.Current.SensorsById["g1"];

        await sink.OnStatusAsync(new DeviceStatusUpdate("g1", "danang", DeviceStatus.Online, true, s_t0), Ct);
        silo.Liveness.Get(g1).State.Should().Be(SensorLiveness.Online);
        await sink.OnStatusAsync(new DeviceStatusUpdate("g1", "danang", DeviceStatus.Offline, true, s_t0), Ct);
        silo.Liveness.Get(g1).State.Should().Be(SensorLiveness.Offline);
    }

    [Fact]
    public void Map_EveryPipelineQuantity_HasTheSameName()
    {
        foreach (Resilience.Ingest.Pipeline.Quantity q in Enum.GetValues<Resilience.Ingest.Pipeline.Quantity>())
        {
            Quantities.Name(SiloTelemetrySink.Map(q)).Should().Be(QuantityNames.GetName(q));
        }

        Enum.GetValues<Resilience.Ingest.Pipeline.Quantity>().Should().HaveCount(Quantities.Count);
    }

    private static SiloTelemetrySink Sink(TestSilo silo) => new(
        silo.Services.GetRequiredService<IGrainFactory>(),
        silo.Services.GetRequiredService<RegistryProvider>(),
        silo.Liveness,
        NullLogger<SiloTelemetrySink>.Instance);
}
