using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Pipeline;

namespace Resilience.Benchmarks.Pipeline;

/// <summary>
/// Decoding cost per message: the JSON object form, a SenML pack, the topic parse, and the whole
/// <see cref="IngestPipeline"/> hand-off (topic + decode + counters + sink). Run:
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- --filter '*TelemetryDecoder*'</c>.
/// </summary>
[Config(typeof(InProcessShortRunConfig))]
public class TelemetryDecoderBenchmarks
{
    private static readonly byte[] s_object = """{"ts":"2026-11-22T03:15:00Z","seq":1234,"values":{"water_level":2.31,"battery":3.92}}"""u8.ToArray();
    private static readonly byte[] s_objectEpoch = """{"ts":1763780100000,"seq":1234,"values":{"pm25":35.5,"pm10":61.2,"o3":80,"no2":40.1,"so2":8.2,"co":900}}"""u8.ToArray();
    private static readonly byte[] s_senml = """[{"bn":"urn:dev:resilience:dn-haichau-wx:","bt":1763780100,"n":"temperature","u":"Cel","v":29.1},{"n":"humidity","u":"%RH","v":81.5},{"n":"battery","u":"V","v":3.91}]"""u8.ToArray();
    private static readonly byte[] s_topic = "sensors/danang/dn-camle-wl/telemetry"u8.ToArray();

    private readonly TelemetryReading[] _readings = new TelemetryReading[32];
    private TelemetryDecoder _decoder = null!;
    private TopicParser _topics = null!;
    private IngestPipeline _pipeline = null!;
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero));
        _decoder = new TelemetryDecoder(clock);
        _topics = new TopicParser(PipelineHostingExtensions.DefaultProvinces);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestPipelineMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _pipeline = new IngestPipeline(_topics, _decoder, new DeadLetterQueue(16, metrics), metrics, new NullTelemetrySink(), clock, NullLogger<IngestPipeline>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public int JsonObject()
    {
        _decoder.Decode(s_object, "dn-camle-wl", "danang", _readings, out int written);
        return written;
    }

    [Benchmark]
    public int JsonObjectSixPollutants()
    {
        _decoder.Decode(s_objectEpoch, "hn-aq-1", "hanoi", _readings, out int written);
        return written;
    }

    [Benchmark]
    public int Senml()
    {
        _decoder.Decode(s_senml, "dn-haichau-wx", "danang", _readings, out int written);
        return written;
    }

    [Benchmark]
    public DeadLetterReason Topic() => _topics.TryParse(s_topic, out _);

    [Benchmark]
    public ValueTask Pipeline() => _pipeline.HandleAsync(new MqttInboundMessage(s_topic, s_object, MqttQualityOfService.AtMostOnce, false), CancellationToken.None);

    /// <summary>
    /// In-process: BenchmarkDotNet's generated project does not build under this repository's strict props
    /// (warnings as errors, artifacts output), and in-process also keeps the run short on a shared machine.
    /// </summary>
    public sealed class InProcessShortRunConfig : ManualConfig
    {
        public InProcessShortRunConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
