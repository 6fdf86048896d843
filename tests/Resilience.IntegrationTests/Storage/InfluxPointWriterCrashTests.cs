using System.Globalization;
using System.Text.RegularExpressions;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>
/// A writer process (fsync per batch) is killed with SIGKILL mid-stream, partly while InfluxDB is down; restarted on
/// the same data directory, it replays its spool and every point it reported durable is in InfluxDB.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class InfluxPointWriterCrashTests(InfluxdClassFixture fixture) : IClassFixture<InfluxdClassFixture>
{
    private const long BaseMs = 1_795_305_600_000; // Resilience.WriterChild's point 0

    [Fact]
    public async Task KillWriterWithSigkill_RestartOnSameData_EveryDurablePointIsStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("writer-crash");
        string[] settings =
        [
            "--Resilience:Influx:Url=" + fixture.Server.Url,
            "--Resilience:DataDirectory=" + data.Path,
            "--Resilience:Influx:Spool:Durability=FsyncPerBatch",
            "--Resilience:Influx:RetryInitialDelay=00:00:00.100",
            "--Resilience:Influx:RetryMaxDelay=00:00:01",
            "--Resilience:Influx:FlushInterval=00:00:00.100",
            "--Logging:LogLevel:Default=Warning",
        ];

        long durable;
        await using (ExternalProcess child = StartChild(["write", "--Child:Count=100000000", "--Child:FlushEvery=2000", .. settings]))
        {
            (await WaitForDurableAsync(child, 20_000)).Should().BeTrue(child.Output);
            await fixture.Server.StopAsync();
            long atStop = LastDurable(child.Output);
            (await WaitForDurableAsync(child, atStop + 50_000)).Should().BeTrue(child.Output);
            child.Kill(); // Process.Kill is SIGKILL on Unix: no chance to flush or close anything
            durable = LastDurable(child.Output);
        }

        Directory.GetFiles(Path.Combine(data.Path, "spool"), "*.seg").Should().NotBeEmpty();
        await fixture.Server.StartAgainAsync();
        await using (ExternalProcess drain = StartChild(["drain", .. settings]))
        {
            bool done = await WriterFactory.EventuallyAsync(() => Task.FromResult(!drain.IsRunning), TimeSpan.FromSeconds(120));
            done.Should().BeTrue(drain.Output);
            drain.Output.Should().Contain("drained spooled=0");
        }

        using System.Text.Json.JsonDocument counted = await fixture.Server.QueryAsync(
            $"SELECT count(\"v\") FROM \"crash\" WHERE time < {((BaseMs + durable) * 1_000_000).ToString(CultureInfo.InvariantCulture)}", "resilience");
        counted.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64()
            .Should().Be(durable, "every point reported durable before the kill is stored");
        (await fixture.Server.CountAsync("crash", "v")).Should().BeGreaterThanOrEqualTo(durable);
    }

    private static ExternalProcess StartChild(string[] arguments)
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Name;
        string dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Resilience.WriterChild", configuration, "Resilience.WriterChild.dll"));
        File.Exists(dll).Should().BeTrue(dll);
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return ExternalProcess.Start(dotnet, [dll, .. arguments]);
    }

    private static async Task<bool> WaitForDurableAsync(ExternalProcess child, long atLeast) =>
        await WriterFactory.EventuallyAsync(() => Task.FromResult(LastDurable(child.Output) >= atLeast || !child.IsRunning), TimeSpan.FromSeconds(60))
        && LastDurable(child.Output) >= atLeast;

    private static long LastDurable(string output)
    {
        MatchCollection matches = DurableLine().Matches(output);
        return matches.Count == 0 ? 0 : long.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^durable (\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex DurableLine();
}
