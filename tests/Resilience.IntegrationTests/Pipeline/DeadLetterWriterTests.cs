using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Pipeline;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Pipeline;

/// <summary>The dead-letter writer against a real directory.</summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new("deadletter");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_DeadLetters_AppendedAsJsonLinesPerUtcDay()
    {
        var metrics = new IngestPipelineMetrics(_services.GetRequiredService<IMeterFactory>());
        var queue = new DeadLetterQueue(100, metrics);
        string directory = Path.Combine(_dir.Path, "deadletter");
        using var writer = new DeadLetterWriter(queue, metrics, directory, NullLogger<DeadLetterWriter>.Instance);
        var day1 = new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero);

        await writer.StartAsync(TestContext.Current.CancellationToken);
        queue.TryEnqueue(new DeadLetter("sensors/hanoi/x/telemetry", Encoding.UTF8.GetBytes("{\"values\":{\"aqi\":1}}"), "unknown quantity at offset 11: aqi", "unknown_quantity", day1));
        queue.TryEnqueue(new DeadLetter("sensors/hanoi/x/telemetry", [0xFF, 0xFE], "malformed JSON at offset 0: invalid UTF-8", "malformed_json", day1.AddMinutes(2)));
        queue.TryEnqueue(new DeadLetter("sensors/hanoi/x/status", Encoding.UTF8.GetBytes("maybe"), "bad status", "bad_status", day1.AddMinutes(3)));
        queue.Complete();
        await writer.StopAsync(TestContext.Current.CancellationToken);

        string[] first = await File.ReadAllLinesAsync(Path.Combine(directory, "ingest-20261122.jsonl"), TestContext.Current.CancellationToken);
        string[] second = await File.ReadAllLinesAsync(Path.Combine(directory, "ingest-20261123.jsonl"), TestContext.Current.CancellationToken);
        first.Should().ContainSingle();
        second.Should().HaveCount(2);
        using (JsonDocument line = JsonDocument.Parse(first[0]))
        {
            line.RootElement.GetProperty("payload").GetString().Should().Be("{\"values\":{\"aqi\":1}}");
            line.RootElement.GetProperty("reason").GetString().Should().Be("unknown quantity at offset 11: aqi");
        }

        using (JsonDocument line = JsonDocument.Parse(second[0]))
        {
            line.RootElement.GetProperty("encoding").GetString().Should().Be("base64");
            line.RootElement.GetProperty("payload").GetBytesFromBase64().Should().Equal(0xFF, 0xFE);
        }

        writer.Written.Should().Be(3);
    }

    [Fact]
    public async Task ExecuteAsync_DirectoryUnwritable_DropsCountsAndKeepsRunning()
    {
        var metrics = new IngestPipelineMetrics(_services.GetRequiredService<IMeterFactory>());
        var queue = new DeadLetterQueue(100, metrics);
        string blocker = Path.Combine(_dir.Path, "file");
        await File.WriteAllTextAsync(blocker, "not a directory", TestContext.Current.CancellationToken);
        using var writer = new DeadLetterWriter(queue, metrics, Path.Combine(blocker, "deadletter"), NullLogger<DeadLetterWriter>.Instance);

        await writer.StartAsync(TestContext.Current.CancellationToken);
        queue.TryEnqueue(new DeadLetter("t", [1], "r", "c", DateTimeOffset.UnixEpoch.AddYears(40)));
        queue.Complete();
        await writer.StopAsync(TestContext.Current.CancellationToken);

        writer.ExecuteTask!.Exception.Should().BeNull();
        metrics.DeadLettersDropped.Should().Be(1);
        writer.Written.Should().Be(0);
    }
}
