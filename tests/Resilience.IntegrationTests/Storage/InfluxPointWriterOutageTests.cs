using System.Diagnostics;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>InfluxDB goes away for 30 s while points keep coming: every accepted point ends up stored, once.</summary>
[Trait("Category", "Integration")]
public sealed class InfluxPointWriterOutageTests(InfluxdClassFixture fixture) : IClassFixture<InfluxdClassFixture>
{
    private const long BaseNs = 1_795_305_600_000_000_000;

    [Fact]
    public async Task WriteContinuously_InfluxdDownFor30Seconds_CountEqualsWritten()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("writer-outage");
        InfluxOptions options = WriterFactory.Options(fixture.Server, data.Path);
        options.BatchSize = 1000;
        InfluxPointWriter writer = WriterFactory.Start(options);
        long written = 0;
        long maxSpooled = 0;
        await using (writer)
        {
            using var stop = new CancellationTokenSource();
            Task producer = Task.Run(
                async () =>
                {
                    var tags = new KeyValuePair<string, string>[] { new("sensor", "s1"), new("province", "danang") };
                    var fields = new FieldValue[1];
                    var clock = Stopwatch.StartNew();
                    while (!stop.IsCancellationRequested)
                    {
                        // About 10,000 points/s: enough to fill several spool segments during the outage.
                        long due = clock.ElapsedMilliseconds * 10;
                        while (written < due)
                        {
                            fields[0] = FieldValue.Float("level", written * 0.001);
                            var point = new PointData("outage", tags, fields, BaseNs + (written * 1000));
                            while (!writer.TryWrite(in point))
                            {
                                await writer.WaitToWriteAsync(ct);
                            }

                            written++;
                        }

                        maxSpooled = Math.Max(maxSpooled, writer.GetSnapshot().SpooledBytes);
                        await Task.Delay(10, ct);
                    }
                },
                ct);

            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            await fixture.Server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            await fixture.Server.StartAgainAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            await stop.CancelAsync();
            await producer;
            await writer.FlushAsync(ct);

            bool drained = await WriterFactory.EventuallyAsync(() => Task.FromResult(writer.GetSnapshot().SpooledBytes == 0), TimeSpan.FromSeconds(90));
            drained.Should().BeTrue($"the spool drains once InfluxDB is back ({writer.GetSnapshot()})");
            InfluxWriterSnapshot snapshot = writer.GetSnapshot();
            snapshot.Retried.Should().BeGreaterThan(0);
            snapshot.Dropped.Should().Be(0);
            snapshot.DeadLetters.Should().Be(0);
        }

        written.Should().BeGreaterThan(300_000);
        maxSpooled.Should().BeGreaterThan(1_000_000, "the outage went through the disk spool");
        (await fixture.Server.CountAsync("outage", "level")).Should().Be(written);
        using System.Text.Json.JsonDocument last = await fixture.Server.QueryAsync("SELECT last(\"level\") FROM \"outage\"", "resilience");
        last.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][0].GetInt64()
            .Should().Be(BaseNs + ((written - 1) * 1000));
    }
}
