using System.Text;
using Resilience.Ingest.Pipeline;
using Resilience.LoadGenerator;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Running;
using Resilience.Simulation.Scenarios;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Simulators;

/// <summary>Simulators publishing through a real mosquitto, observed by a real <c>mosquitto_sub</c>.</summary>
[Trait("Category", "Integration")]
public sealed class SimulatorPublishTests
{
    [Fact]
    public async Task RunAsync_ShortScenario_SubscriberReceivesEveryMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using var sub = MosquittoSubscriber.Start(broker.Port, "sensors/+/+/telemetry");
        await using ITelemetryPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", broker.Port, "sim-test", qos: 1, ct);
        await sub.WaitUntilSubscribedAsync(async () => await ProbeAsync(publisher, ct), ct);

        Scenario scenario = ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath("danang-typhoon")));
        scenario.DurationHours = 3;
        var engine = new ScenarioEngine(scenario, TestRegistry.Sensors, new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        var runner = new SimulationRunner(publisher, TimeProvider.System, TimestampMode.Simulated);
        long published = await runner.RunAsync(engine, speed: 0, ct);
        await publisher.DrainAsync(ct);

        published.Should().BeGreaterThan(30);
        publisher.Sent.Should().BeGreaterThan(published, "probes and telemetry");
        int received = await sub.WaitForAsync("sensors/", published, ct);
        received.Should().Be((int)published, broker.Output);
        List<string> lines = sub.Lines("sensors/");
        lines.Should().Contain(l => l.StartsWith("sensors/danang/dn-haichau-wx/telemetry [{\"bn\":", StringComparison.Ordinal), "weather stations send SenML");
        lines.Should().Contain(l => l.StartsWith("sensors/danang/dn-camle-wl/telemetry {\"ts\":", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("mqttnet")]
    public async Task LoadConnection_TwoConnectionsQos1_EveryMessageAckedAndDeliveredAndDecodable(string client)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using var sub = MosquittoSubscriber.Start(broker.Port, "sensors/hanoi/+/telemetry");
        await using (MqttNetPublisher probe = await MqttNetPublisher.ConnectAsync("127.0.0.1", broker.Port, "probe", qos: 0, ct))
        {
            await sub.WaitUntilSubscribedAsync(async () => await ProbeAsync(probe, ct), ct);
        }

        LoadTemplate[][] groups =
        [
            [new LoadTemplate(LoadTemplate.Topic("hanoi", "load", 0), 1, true), new LoadTemplate(LoadTemplate.Topic("hanoi", "load", 2), 1, true)],
            [new LoadTemplate(LoadTemplate.Topic("hanoi", "load", 1), 1, true)],
        ];
        ILoadConnection[] connections = groups.Select(g => client == "raw" ? (ILoadConnection)new LoadConnection(g, qos: 1) : new MqttNetLoadConnection(g, qos: 1)).ToArray();
        var target = new LoadTarget("127.0.0.1", broker.Port, null, null);
        await Task.WhenAll(connections.Select((c, k) => c.RunAsync(target, $"load-{k}", rate: 0, TimeSpan.FromSeconds(60), 1500, ct)));

        connections.Sum(c => c.Sent).Should().Be(3000);
        connections.Sum(c => c.Acked).Should().Be(3000);
        (await sub.WaitForAsync("sensors/", 3000, ct)).Should().Be(3000, broker.Output);

        var decoder = new TelemetryDecoder(TimeProvider.System);
        var readings = new TelemetryReading[1];
        string line = sub.Lines("sensors/hanoi/load-00002/telemetry").Last();
        byte[] payload = Encoding.UTF8.GetBytes(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        DecodeResult result = decoder.Decode(payload, "load-00002", "hanoi", readings, out _);
        result.IsSuccess.Should().BeTrue(line);
        readings[0].Seq.Should().Be(750, "connection 0 alternates its two sensors over 1500 messages");
        readings[0].TryGetValue(Quantity.WaterLevel, out double level).Should().BeTrue();
        level.Should().BeInRange(1.0, 2.0);
    }

    private static async Task ProbeAsync(ITelemetryPublisher publisher, CancellationToken ct)
    {
        await publisher.PublishAsync(MosquittoSubscriber.ProbeTopicUtf8, "x"u8.ToArray(), retain: false, ct);
        await publisher.FlushAsync(ct);
    }
}
