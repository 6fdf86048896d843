using System.Text.Json;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>Lines InfluxDB refuses are isolated and dead-lettered; the rest of their batch is stored.</summary>
[Trait("Category", "Integration")]
public sealed class InfluxPointWriterRejectionTests(InfluxdClassFixture fixture) : IClassFixture<InfluxdClassFixture>
{
    private const long BaseNs = 1_795_305_600_000_000_000;

    [Fact]
    public async Task WriteBatch_WithFieldTypeConflicts_StoresGoodLinesAndDeadLettersOnlyBadOnesWithReason()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("writer-conflict");
        InfluxPointWriter writer = WriterFactory.Start(WriterFactory.Options(fixture.Server, data.Path));
        await using (writer)
        {
            var tags = new KeyValuePair<string, string>[] { new("sensor", "s1") };
            var first = new PointData("conflict", tags, new[] { FieldValue.Float("v", 1.5) }, BaseNs);
            writer.TryWrite(in first).Should().BeTrue();
            await writer.FlushAsync(ct);

            for (int i = 1; i <= 10; i++)
            {
                FieldValue field = i % 3 == 1 ? FieldValue.Integer("v", i) : FieldValue.Float("v", i + 0.25);
                var point = new PointData("conflict", tags, new[] { field }, BaseNs + i);
                writer.TryWrite(in point).Should().BeTrue();
            }

            await writer.FlushAsync(ct);
            InfluxWriterSnapshot snapshot = writer.GetSnapshot();
            snapshot.DeadLetters.Should().Be(4);
            snapshot.Written.Should().Be(1 + 6);
            snapshot.LastError.Should().Contain("field type conflict");
        }

        (await fixture.Server.CountAsync("conflict", "v")).Should().Be(7);
        using JsonDocument stored = await fixture.Server.QueryAsync("SELECT \"v\" FROM \"conflict\"", "resilience");
        double[] values = stored.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")
            .EnumerateArray().Select(v => v[1].GetDouble()).ToArray();
        values.Should().Equal(1.5, 2.25, 3.25, 5.25, 6.25, 8.25, 9.25);

        string[] files = Directory.GetFiles(Path.Combine(data.Path, "deadletter"), "influx-*.jsonl");
        files.Should().ContainSingle();
        string[] letters = await File.ReadAllLinesAsync(files[0], ct);
        letters.Should().HaveCount(4);
        var lines = new List<string>();
        foreach (string letter in letters)
        {
            using JsonDocument doc = JsonDocument.Parse(letter);
            doc.RootElement.GetProperty("status").GetInt32().Should().Be(400);
            doc.RootElement.GetProperty("error").GetString().Should().Contain("field type conflict").And.Contain("dropped=1");
            lines.Add(doc.RootElement.GetProperty("line").GetString()!);
        }

        lines.Should().Equal(
            $"conflict,sensor=s1 v=1i {BaseNs + 1}",
            $"conflict,sensor=s1 v=4i {BaseNs + 4}",
            $"conflict,sensor=s1 v=7i {BaseNs + 7}",
            $"conflict,sensor=s1 v=10i {BaseNs + 10}");
    }

    [Fact]
    public async Task WriteToMissingDatabase_DatabaseCreatedLater_NothingIsDeadLetteredAndEverythingArrives()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("writer-nodb");
        await using InfluxPointWriter writer = WriterFactory.Start(WriterFactory.Options(fixture.Server, data.Path, "late"));
        for (int i = 0; i < 100; i++)
        {
            var point = new PointData("late", default, new[] { FieldValue.Float("v", i) }, BaseNs + i);
            writer.TryWrite(in point).Should().BeTrue();
        }

        await writer.FlushAsync(ct);
        bool retried = await WriterFactory.EventuallyAsync(() => Task.FromResult(writer.GetSnapshot().Retried > 1), TimeSpan.FromSeconds(30));
        retried.Should().BeTrue();
        InfluxWriterSnapshot failing = writer.GetSnapshot();
        failing.DeadLetters.Should().Be(0, "a missing database is a configuration error, not a bad line");
        failing.LastError.Should().Contain("404").And.Contain("database not found");
        failing.SpooledBytes.Should().BeGreaterThan(0);

        await WriterFactory.CreateDatabaseAsync(fixture.Server, "late");
        bool arrived = await WriterFactory.EventuallyAsync(async () => await fixture.Server.CountAsync("late", "v", "late") == 100, TimeSpan.FromSeconds(30));
        arrived.Should().BeTrue(writer.GetSnapshot().ToString());
        writer.GetSnapshot().SpooledBytes.Should().Be(0);
    }
}
