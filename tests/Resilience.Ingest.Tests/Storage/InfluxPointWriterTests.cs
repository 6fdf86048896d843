using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Storage;

/// <summary>The writer without InfluxDB (empty Url: spool only); no network I/O, the spool uses a temp directory.</summary>
public sealed class InfluxPointWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new("writer-unit");

    public void Dispose() => _dir.Dispose();

    private InfluxOptions Options(int batchSize = 100) => new()
    {
        Url = string.Empty,
        DataDirectory = _dir.Path,
        BatchSize = batchSize,
        BatchBytes = 64 * 1024,
        FlushInterval = TimeSpan.FromMinutes(5),
        Spool = new SpoolOptions { MaxBytes = 4 * 64 * 1024, Durability = SpoolDurability.FsyncPerBatch },
    };

    private static PointData Point(int i) =>
        new("m", new KeyValuePair<string, string>[] { new("sensor", "s1") }, new[] { FieldValue.Integer("v", i) }, 1_795_305_600_000_000_000 + i);

    [Fact]
    public async Task FlushAsync_SpoolOnly_PersistsEveryAcceptedPointInOrder()
    {
        await using (var writer = new InfluxPointWriter(Options(), TimeProvider.System, NullLogger.Instance))
        {
            writer.Start();
            for (int i = 0; i < 250; i++)
            {
                PointData point = Point(i);
                writer.TryWrite(in point).Should().BeTrue();
            }

            await writer.FlushAsync(TestContext.Current.CancellationToken);
            InfluxWriterSnapshot snapshot = writer.GetSnapshot();
            snapshot.Accepted.Should().Be(250);
            snapshot.SpooledBatches.Should().Be(3);
            snapshot.Written.Should().Be(0);
        }

        using var spool = new SegmentSpool(Path.Combine(_dir.Path, "spool"), 1 << 20, 1 << 20, SpoolFullPolicy.Block, SpoolDurability.None);
        var batch = new WriteBatch(1024);
        var lines = new List<string>();
        while (spool.TryPeek(batch, out SpoolPosition position))
        {
            lines.AddRange(System.Text.Encoding.UTF8.GetString(batch.Buffer, 0, batch.Length).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            spool.Ack(position);
        }

        lines.Should().Equal(Enumerable.Range(0, 250).Select(i => $"m,sensor=s1 v={i}i {1_795_305_600_000_000_000 + i}"));
    }

    [Fact]
    public async Task TryWrite_InvalidPoint_ThrowsAndKeepsTheBatchIntact()
    {
        await using var writer = new InfluxPointWriter(Options(), TimeProvider.System, NullLogger.Instance);
        writer.Start();
        PointData good = Point(1);
        writer.TryWrite(in good).Should().BeTrue();
        var bad = new PointData("m", default, new[] { FieldValue.Float("v", double.NaN) }, 1);

        Action act = () => writer.TryWrite(in bad);

        act.Should().Throw<ArgumentException>().WithMessage("*NaN*");
        writer.GetSnapshot().Accepted.Should().Be(1);
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        writer.GetSnapshot().SpooledBatches.Should().Be(1);
    }

    [Fact]
    public async Task TryWrite_SpoolFullWithBlockPolicy_ReturnsFalseInsteadOfLosingPoints()
    {
        var writer = new InfluxPointWriter(Options(batchSize: 2000), TimeProvider.System, NullLogger.Instance);
        writer.Start();
        long accepted = 0;
        bool refused = false;
        for (int i = 0; i < 200_000 && !refused; i++)
        {
            PointData point = Point(i);
            if (writer.TryWrite(in point))
            {
                accepted++;
            }
            else
            {
                // Give the router a chance to drain the queue; only a full spool keeps refusing.
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await writer.WaitToWriteAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    refused = !writer.TryWrite(in point);
                }
            }
        }

        refused.Should().BeTrue("a full spool under Block pushes back on producers");
        InfluxWriterSnapshot snapshot = writer.GetSnapshot();
        snapshot.Dropped.Should().Be(0);
        snapshot.Accepted.Should().Be(accepted);
        snapshot.SpooledBytes.Should().BeGreaterThan(3 * 64 * 1024);

        // Nothing can drain a full spool without InfluxDB, so a stop can only give up after its deadline.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await writer.StopAsync(deadline.Token);
    }

    [Fact]
    public async Task TryWrite_SpoolFullWithDropOldest_KeepsAcceptingAndCountsDrops()
    {
        InfluxOptions options = Options(batchSize: 2000);
        options.Spool.FullPolicy = SpoolFullPolicy.DropOldest;
        await using var writer = new InfluxPointWriter(options, TimeProvider.System, NullLogger.Instance);
        writer.Start();
        for (int i = 0; i < 100_000; i++)
        {
            PointData point = Point(i);
            while (!writer.TryWrite(in point))
            {
                await writer.WaitToWriteAsync(TestContext.Current.CancellationToken);
            }
        }

        await writer.FlushAsync(TestContext.Current.CancellationToken);
        InfluxWriterSnapshot snapshot = writer.GetSnapshot();
        snapshot.Accepted.Should().Be(100_000);
        snapshot.Dropped.Should().BeGreaterThan(0);
        snapshot.SpooledBytes.Should().BeLessThanOrEqualTo(options.Spool.MaxBytes);
    }

    [Fact]
    public async Task FlushInterval_OnManualClock_SealsPartialBatch()
    {
        var time = new ManualTimeProvider();
        InfluxOptions options = Options();
        options.FlushInterval = TimeSpan.FromSeconds(1);
        await using var writer = new InfluxPointWriter(options, time, NullLogger.Instance);
        writer.Start();
        PointData point = Point(1);
        writer.TryWrite(in point);

        bool sealedByTimer = false;
        for (int i = 0; i < 300 && !sealedByTimer; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
            sealedByTimer = writer.GetSnapshot().SpooledBatches == 1;
        }

        sealedByTimer.Should().BeTrue();
    }

    [Fact]
    public void BuildWriteUri_V1AndV2_CarryTheirParameters()
    {
        var v1 = new InfluxOptions { Url = "http://influx:8086/", Database = "resilience", RetentionPolicy = "one year", Precision = WritePrecision.Milliseconds };
        var v2 = new InfluxOptions { Url = "https://influx", ApiVersion = InfluxApiVersion.V2, Org = "ioc", Bucket = "b/1", Precision = WritePrecision.Microseconds };

        InfluxHttpSender.BuildWriteUri(v1).AbsoluteUri.Should().Be("http://influx:8086/write?db=resilience&precision=ms&rp=one%20year");
        InfluxHttpSender.BuildWriteUri(v2).AbsoluteUri.Should().Be("https://influx/api/v2/write?org=ioc&bucket=b%2F1&precision=us");
    }
}
