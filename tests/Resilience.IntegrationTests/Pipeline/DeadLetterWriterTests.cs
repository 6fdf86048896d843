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
[Collection(Mqtt.AttackFiguresCollection.Name)]
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
    public async Task JunkFlood_45MessagesOf1MiB_CostsKilobytesNotMegabytes()
    {
        var metrics = new IngestPipelineMetrics(_services.GetRequiredService<IMeterFactory>());
        var queue = new DeadLetterQueue(100, metrics);
        string directory = Path.Combine(_dir.Path, "deadletter");
        using var writer = new DeadLetterWriter(queue, metrics, directory, NullLogger<DeadLetterWriter>.Instance);
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        byte[] junk = new byte[1024 * 1024];

        await writer.StartAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < 45; i++)
        {
            Random.Shared.NextBytes(junk);
            queue.TryEnqueue(DeadLetter.Create("sensors/danang/x/telemetry", junk, "payload too large", "too_large", at.AddSeconds(i)));
        }

        queue.Complete();
        await writer.StopAsync(TestContext.Current.CancellationToken);

        long bytes = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
        Mqtt.AttackFigures.Report(
            "dead-letter disk fill: 45 junk payloads of 1 MiB",
            "≤ 2 KiB per dead letter (1 KiB excerpt, base64, length, SHA-256, reason) = 90 KiB; 64 MiB quota with rotation",
            $"disk 0 → {bytes:N0} bytes ({45L * 1024 * 1024:N0} bytes of junk sent; the audit filled a 40 MiB disk)");
        bytes.Should().BeLessThan(45 * 2 * 1024, "each dead letter keeps at most 1 KiB of payload (the audit filled 40 MiB with 45 of these)");
        writer.Written.Should().Be(45);
        string last = (await File.ReadAllLinesAsync(Directory.EnumerateFiles(directory).Single(), TestContext.Current.CancellationToken))[^1];
        using JsonDocument line = JsonDocument.Parse(last);
        line.RootElement.GetProperty("length").GetInt64().Should().Be(1024 * 1024);
        line.RootElement.GetProperty("truncated").GetBoolean().Should().BeTrue();
        line.RootElement.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(junk)));
        line.RootElement.GetProperty("payload").GetBytesFromBase64().Should().Equal(junk.AsSpan(0, DeadLetter.ExcerptBytes).ToArray());
    }

    [Fact]
    public async Task EndlessFlood_StaysUnderTheQuota_RotatingTheOldestFiles()
    {
        var metrics = new IngestPipelineMetrics(_services.GetRequiredService<IMeterFactory>());
        var queue = new DeadLetterQueue(10_000, metrics);
        string directory = Path.Combine(_dir.Path, "deadletter");
        const long quota = 64 * 1024;
        using var writer = new DeadLetterWriter(queue, metrics, directory, NullLogger<DeadLetterWriter>.Instance, quota);
        var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        byte[] junk = new byte[64 * 1024];
        long largest = 0;

        await writer.StartAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < 500; i++)
        {
            Random.Shared.NextBytes(junk);
            junk[0] = (byte)(i & 0xFF);
            queue.TryEnqueue(DeadLetter.Create("sensors/danang/x/telemetry", junk, "junk " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "malformed_json", at.AddSeconds(i)));
            if (i % 50 == 49)
            {
                await Mqtt.Poll.UntilAsync(() => writer.Written == i + 1, "the writer to catch up");
                largest = Math.Max(largest, Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length));
            }
        }

        queue.Complete();
        await writer.StopAsync(TestContext.Current.CancellationToken);

        long final = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
        Mqtt.AttackFigures.Report(
            "endless dead-letter flood: 500 junk payloads of 64 KiB against a 64 KiB quota",
            "disk ≤ the quota (64 KiB in the test; `Resilience:Ingest:Pipeline:DeadLetterMaxBytes` 64 MiB by default), the oldest files rotated out",
            $"disk 0 → {final:N0} bytes (largest seen {largest:N0}); {writer.Written} written, {writer.DroppedOverQuota} refused");
        largest.Should().BeLessThanOrEqualTo(quota);
        final.Should().BeLessThanOrEqualTo(quota);
        writer.Written.Should().Be(500);
        writer.DroppedOverQuota.Should().Be(0, "rotation makes room; nothing new is refused");
        string newest = Directory.EnumerateFiles(directory).OrderBy(f => new FileInfo(f).LastWriteTimeUtc).Last();
        (await File.ReadAllLinesAsync(newest, TestContext.Current.CancellationToken))[^1].Should().Contain("\"junk 499\"", "the newest dead letters are the ones kept");
        File.Exists(Path.Combine(directory, "ingest-20261122.jsonl")).Should().BeFalse("the oldest part was rotated out");
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
