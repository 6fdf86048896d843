using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Pipeline;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class IngestPipelineTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private readonly IngestPipelineMetrics _metrics;
    private readonly DeadLetterQueue _queue;
    private readonly IngestPipeline _pipeline;

    public IngestPipelineTests()
    {
        _metrics = new IngestPipelineMetrics(_services.GetRequiredService<IMeterFactory>());
        _queue = new DeadLetterQueue(2, _metrics);
        _pipeline = new IngestPipeline(
            new TopicParser(PipelineHostingExtensions.DefaultProvinces),
            new TelemetryDecoder(_time),
            _queue,
            _metrics,
            _sink,
            _time,
            NullLogger<IngestPipeline>.Instance);
    }

    public void Dispose() => _services.Dispose();

    private ValueTask HandleAsync(string topic, string payload, bool retain = false) =>
        _pipeline.HandleAsync(
            new MqttInboundMessage(Encoding.UTF8.GetBytes(topic), Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task HandleAsync_Telemetry_ReachesTheSinkAndCounts()
    {
        await HandleAsync("sensors/danang/dn-camle-wl/telemetry", """{"seq": 5, "values": {"water_level": 2.31}}""");

        _sink.Readings.Should().ContainSingle();
        _sink.Readings[0].SensorId.Should().Be("dn-camle-wl");
        _sink.Readings[0].Seq.Should().Be(5);
        _metrics.Received.Should().Be(1);
        _metrics.Decoded.Should().Be(1);
        _metrics.DeadLetters.Should().Be(0);
    }

    [Fact]
    public async Task HandleAsync_AsyncSink_AwaitsIt()
    {
        _sink.Delay = true;
        ValueTask pending = HandleAsync("sensors/hanoi/hn-aq-1/telemetry", """{"values": {"pm25": 50}}""");

        pending.IsCompleted.Should().BeFalse();
        _sink.Release();
        await pending;
        _sink.Readings.Should().ContainSingle();
    }

    [Theory]
    [InlineData("online", DeviceStatus.Online)]
    [InlineData("offline", DeviceStatus.Offline)]
    public async Task HandleAsync_Status_ReachesTheSink(string payload, DeviceStatus expected)
    {
        await HandleAsync("sensors/hanoi/hn-aq-1/status", payload, retain: true);

        _sink.Statuses.Should().ContainSingle().Which.Should().Be(new DeviceStatusUpdate("hn-aq-1", "hanoi", expected, true, _time.GetUtcNow()));
    }

    [Theory]
    [InlineData("sensors/hanoi/hn-aq-1/status", "Online", "bad_status")]
    [InlineData("sensors/quangnam/x/telemetry", """{"values": {"pm25": 1}}""", "unknown_province")]
    [InlineData("alerts/hanoi/x", "{}", "bad_topic")]
    [InlineData("sensors/hanoi/hn-aq-1/telemetry", """{"values": {"pm25": 1""", "malformed_json")]
    public async Task HandleAsync_Bad_DeadLettersWithReason(string topic, string payload, string code)
    {
        await HandleAsync(topic, payload);

        _sink.Readings.Should().BeEmpty();
        _sink.Statuses.Should().BeEmpty();
        _metrics.DeadLetters.Should().Be(1);
        _queue.Reader.TryRead(out DeadLetter? deadLetter).Should().BeTrue();
        deadLetter!.Code.Should().Be(code);
        deadLetter.Topic.Should().Be(topic);
        Encoding.UTF8.GetString(deadLetter.Payload).Should().Be(payload);
        deadLetter.ReceivedAt.Should().Be(_time.GetUtcNow());
    }

    [Fact]
    public async Task HandleAsync_DeadLetterQueueFull_DropsAndCountsWithoutBlocking()
    {
        for (int i = 0; i < 5; i++)
        {
            await HandleAsync("sensors/hanoi/x/telemetry", "nope");
        }

        _metrics.DeadLetters.Should().Be(5);
        _metrics.DeadLettersDropped.Should().Be(3);
    }

    private sealed class RecordingSink : ITelemetrySink
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<TelemetryReading> Readings { get; } = [];

        public List<DeviceStatusUpdate> Statuses { get; } = [];

        public bool Delay { get; set; }

        public void Release() => _gate.TrySetResult();

        public async ValueTask OnTelemetryAsync(ReadOnlyMemory<TelemetryReading> readings, Resilience.Ingest.Mqtt.MqttAcknowledgement? acknowledgement, CancellationToken cancellationToken)
        {
            if (Delay)
            {
                await _gate.Task;
            }

            Readings.AddRange(readings.ToArray());
        }

        public ValueTask OnStatusAsync(DeviceStatusUpdate update, CancellationToken cancellationToken)
        {
            Statuses.Add(update);
            return ValueTask.CompletedTask;
        }
    }
}
