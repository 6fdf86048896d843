using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Mqtt;
using Resilience.Silo.Api;
using Resilience.Silo.Grains;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Ingest;

public sealed class SiloIngestHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_ValidTelemetry_ReachesTheSensorGrain()
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloIngestHandler handler = Handler(silo);

        await handler.HandleAsync(Message("sensors/danang/g1/telemetry", """{"ts":"2026-11-22T02:00:00Z","seq":3,"values":{"water_level":1.25,"battery":3.9}}"""), Ct);

        SensorView view = (await silo.Grain<ISensorGrain>("g1").GetViewAsync(false, Ct))!;
        view.Values["water_level"].Value.Should().Be(1.25);
        view.Values["water_level"].Ts.Should().Be(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero));
        handler.Rejected.Should().Be(0);
    }

    [Theory]
    [InlineData("sensors/danang/g1/telemetry", "not json")]
    [InlineData("sensors/danang/g1/telemetry", "[1,2]")]
    [InlineData("sensors/danang/g1/telemetry", """{"values":{"depth":1}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"values":{"water_level":"high"}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"values":{}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"ts":"yesterday","values":{"water_level":1}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"seq":-4,"values":{"water_level":1}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"values":{"water_level":1e999}}""")]
    [InlineData("sensors/danang/g1/telemetry", """{"values":{"water_level":1""")]
    [InlineData("sensors/hanoi/g1/telemetry", """{"values":{"water_level":1}}""")]
    [InlineData("sensors/danang/ghost/telemetry", """{"values":{"water_level":1}}""")]
    [InlineData("sensors/danang/G1/telemetry", """{"values":{"water_level":1}}""")]
    [InlineData("sensors/danang/g1/config", """{"values":{"water_level":1}}""")]
    [InlineData("alerts/danang/g1", "x")]
    [InlineData("sensors/danang/g1/status", "maybe")]
    public async Task HandleAsync_BadInput_DroppedWithoutThrowing(string topic, string payload)
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloIngestHandler handler = Handler(silo);

        await handler.HandleAsync(Message(topic, payload), Ct);

        handler.Rejected.Should().Be(1);
        silo.Writer.Points.Should().BeEmpty();
    }

    [Fact]
    public async Task HandleAsync_StatusOffline_MarksTheSensorOffline()
    {
        await using TestSilo silo = TestSilo.Create();
        using SiloIngestHandler handler = Handler(silo);
        SensorInfo g1 = silo.Registry.Current.SensorsById["g1"];

        await handler.HandleAsync(Message("sensors/danang/g1/status", "online"), Ct);
        silo.Liveness.Get(g1).State.Should().Be(SensorLiveness.Online);
        await handler.HandleAsync(Message("sensors/danang/g1/status", "offline"), Ct);
        silo.Liveness.Get(g1).State.Should().Be(SensorLiveness.Offline);
    }

    [Fact]
    public void TryDecode_NoTimestamp_UsesReceiveTime()
    {
        var decoder = new MinimalJsonTelemetryDecoder();

        decoder.TryDecode("""{"values":{"rainfall":0.4}}"""u8, 1234, out SensorReading? reading, out string? error).Should().BeTrue(error);

        reading!.TimestampMs.Should().Be(1234);
        reading.TimestampFromDevice.Should().BeFalse();
        reading.Seq.Should().Be(-1);
        decoder.TryDecode("""{"ts":1763780100000,"values":{"rainfall":0.4}}"""u8, 1234, out reading, out _).Should().BeTrue();
        reading!.TimestampMs.Should().Be(1763780100000);
    }

    private static SiloIngestHandler Handler(TestSilo silo) => new(
        silo.Services.GetRequiredService<IGrainFactory>(),
        silo.Services.GetRequiredService<RegistryProvider>(),
        silo.Liveness,
        new MinimalJsonTelemetryDecoder(),
        silo.Time,
        NullLogger<SiloIngestHandler>.Instance);

    private static MqttInboundMessage Message(string topic, string payload) =>
        new(Encoding.UTF8.GetBytes(topic), Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain: false);
}
