using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Pipeline;
using Resilience.Silo.Api;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Ingest;

public sealed class SiloTelemetrySinkTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnTelemetryAsync_RegisteredSensor_ReachesItsGrain()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        using SiloTelemetrySink sink = Sink(silo);
        var reading = new TelemetryReading("g1", "danang", s_t0) { Seq = 5, HasDeviceTimestamp = true };
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.WaterLevel, 1.25);
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.Battery, 3.9);

        await sink.OnTelemetryAsync(new[] { reading, reading }, acknowledgement: null, Ct);

        SensorView view = await SensorGrainTests.ViewAsync(silo, "g1", false);
        view.Values["water_level"].Value.Should().Be(1.25);
        view.Values["water_level"].Ts.Should().Be(s_t0);
        silo.Writer.Of("water").Should().HaveCount(1, "the second copy has the same seq");
        sink.Rejected.Should().Be(0);
    }

    [Theory]
    [InlineData("ghost", "danang")]
    [InlineData("g1", "hanoi")]
    public async Task OnTelemetryAsync_UnknownSensorOrWrongProvince_DeadLetteredWithItsReading(string sensorId, string province)
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        using ServiceProvider metricsServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var deadLetters = new DeadLetterQueue(16, new IngestPipelineMetrics(metricsServices.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        using SiloTelemetrySink sink = Sink(silo, deadLetters);
        var reading = new TelemetryReading(sensorId, province, s_t0) { Seq = 7 };
        reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.WaterLevel, 1.0);

        await sink.OnTelemetryAsync(new[] { reading }, acknowledgement: null, Ct);

        sink.Rejected.Should().Be(1);
        silo.Writer.Points.Should().BeEmpty();
        deadLetters.Reader.TryRead(out DeadLetter? letter).Should().BeTrue();
        letter!.Topic.Should().Be($"sensors/{province}/{sensorId}/telemetry");
        letter.Reason.Should().Contain(sensorId == "ghost" ? "not in the registry" : "province");
        System.Text.Encoding.UTF8.GetString(letter.Payload).Should().Be($"{{\"ts\":{s_t0.ToUnixTimeMilliseconds()},\"seq\":7,\"values\":{{\"water_level\":1}}}}");
    }

    [Fact]
    public async Task OnStatusAsync_Offline_MarksTheSensorOffline()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        using SiloTelemetrySink sink = Sink(silo);
        DateTimeOffset now = silo.Time.GetUtcNow();

        await sink.OnStatusAsync(new DeviceStatusUpdate("g1", "danang", DeviceStatus.Online, true, now), Ct);
        (await SensorGrainTests.ViewAsync(silo, "g1", false)).Online.Should().BeTrue();
        await sink.OnStatusAsync(new DeviceStatusUpdate("g1", "danang", DeviceStatus.Offline, true, now), Ct);
        SensorView view = await SensorGrainTests.ViewAsync(silo, "g1", false);
        view.Online.Should().BeFalse();
        view.Flags.Should().StartWith("stale");
    }

    [Fact]
    public async Task OnTelemetryAsync_ManyConcurrentCallers_NeverMoreGrainCallsThanTheBound()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        using var sink = new SiloTelemetrySink(
            silo.Services.GetRequiredService<Resilience.Silo.Hosting.SiloServices>().References,
            silo.Registry,
            NullLogger<SiloTelemetrySink>.Instance,
            grainOptions: Microsoft.Extensions.Options.Options.Create(new Resilience.Silo.Hosting.GrainOptions { MaxIngestCallsInFlight = 2 }));
        string[] ids = ["g1", "g2", "g3", "f1", "r1"];

        // 40 publishers at once, each with its own reading: all land, at most two grain calls at a time.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var reading = new TelemetryReading(ids[i % ids.Length], "danang", s_t0.AddMinutes(i)) { Seq = i, HasDeviceTimestamp = true };
            reading.TryAdd(Resilience.Ingest.Pipeline.Quantity.Battery, 3.9);
            await sink.OnTelemetryAsync(new[] { reading }, acknowledgement: null, Ct);
        })));

        sink.PeakCallsInFlight.Should().BeInRange(1, 2);
        silo.Writer.Of("device").Should().HaveCount(40, "waiting for a slot loses nothing");
    }

    [Fact]
    public void Quantities_EveryIngestQuantity_HasAnInfluxPlacement()
    {
        foreach (Quantity q in Enum.GetValues<Quantity>())
        {
            Quantities.Name(q).Should().Be(QuantityNames.GetName(q));
            Quantities.Field(q).Should().NotBeNullOrEmpty();
            Quantities.Measurement(q).Should().BeOneOf("water", "rain", "air", "weather", "device");
        }

        Enum.GetValues<Quantity>().Should().HaveCount(Quantities.Count);
    }

    private static SiloTelemetrySink Sink(TestSilo silo, DeadLetterQueue? deadLetters = null) => new(
        silo.Services.GetRequiredService<Resilience.Silo.Hosting.SiloServices>().References,
        silo.Services.GetRequiredService<RegistryProvider>(),
        NullLogger<SiloTelemetrySink>.Instance,
        deadLetters);
}
