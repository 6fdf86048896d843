using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>
/// Issue 9's fault test on a real silo process: the alert ledger lives on a small tmpfs that is filled up while
/// a gauge crosses alarm level III. Before, the "database or disk is full" error made the level III alert
/// disappear for good; now <c>/health</c> says degraded with the reason while the disk is full, and the alert
/// appears once space is back, without another reading.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AlertDurabilityTests
{
    private const string Gauge = "dn-camle-wl"; // registry.yaml: II 2.0 m, III 2.5 m, two consecutive readings
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LevelIII_WhileTheAlertStoreDiskIsFull_IsCommittedWhenSpaceComesBack_AndHealthSaysDegradedMeanwhile()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("mounting a small tmpfs needs root (./test.sh runs as root in CI).");
        }

        using var dir = new TempDirectory("silo-diskfull");
        string ledgerDir = Path.Combine(dir.Path, "ledger");
        Directory.CreateDirectory(ledgerDir);
        await RunAsync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", ledgerDir]);
        try
        {
            await using SiloProcess silo = await SiloProcess.StartAsync(Path.Combine(dir.Path, "data"), new Dictionary<string, string>
            {
                ["Resilience:Influx:Url"] = string.Empty,
                ["Resilience:Alerts:DatabasePath"] = Path.Combine(ledgerDir, "alerts.db"),
            });
            using var http = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(30) };
            DateTimeOffset now = DateTimeOffset.UtcNow;

            // Above II twice: a level II alert commits normally.
            await PublishAsync(silo, 2.30, now.AddMinutes(-90), 1);
            await PublishAsync(silo, 2.45, now.AddMinutes(-60), 2);
            JsonElement warning = await WaitForAlertAsync(http, "warning", silo);
            warning.GetProperty("level").GetString().Should().Be("II");

            // The ledger's disk fills up; the gauge crosses III twice.
            string filler = Path.Combine(ledgerDir, "filler");
            Fill(filler);
            await PublishAsync(silo, 2.60, now.AddMinutes(-30), 3);
            await PublishAsync(silo, 2.70, now.AddMinutes(-1), 4);
            JsonElement degraded = await WaitForHealthAsync(http, "degraded", silo);
            JsonElement ledger = degraded.GetProperty("components").GetProperty("alertStore");
            ledger.GetProperty("status").GetString().Should().Be("degraded");
            ledger.GetProperty("detail").GetString().Should().Contain("alert store full");
            ledger.GetProperty("data").GetProperty("pendingCommits").GetInt64().Should().BeGreaterThan(0);
            (await ActiveAsync(http)).Should().ContainSingle(a => a.GetProperty("rule").GetString() == "water-level")
                .Which.GetProperty("severity").GetString().Should().Be("warning", "the escalation is not committed while the disk is full");

            // Space comes back: the queued escalation commits by itself, and health recovers.
            File.Delete(filler);
            JsonElement severe = await WaitForAlertAsync(http, "severe", silo);
            severe.GetProperty("level").GetString().Should().Be("III");
            severe.GetProperty("value").GetDouble().Should().BeApproximately(2.70, 1e-9);
            severe.GetProperty("id").GetInt64().Should().Be(warning.GetProperty("id").GetInt64(), "the same alert escalated, not a second one");
            await WaitForHealthAsync(http, "ok", silo);
        }
        finally
        {
            await RunAsync("umount", ["-l", ledgerDir]);
        }
    }

    private static async Task PublishAsync(SiloProcess silo, double level, DateTimeOffset ts, long seq) =>
        await MosquittoClients.PublishAsync(silo.MqttPort, $"sensors/danang/{Gauge}/telemetry",
            string.Create(CultureInfo.InvariantCulture, $$$"""{"ts":{{{ts.ToUnixTimeMilliseconds()}}},"seq":{{{seq}}},"values":{"water_level":{{{level}}}}}"""),
            qos: 1, mqtt5: false, cancellationToken: Ct);

    private static void Fill(string path)
    {
        var block = new byte[64 * 1024];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the tmpfs is full.
        }

        var small = new byte[512];
        try
        {
            while (true)
            {
                stream.Write(small); // the last pages too
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task<List<JsonElement>> ActiveAsync(HttpClient http)
    {
        using JsonDocument alerts = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/alerts?state=active", UriKind.Relative), Ct));
        return [.. alerts.RootElement.EnumerateArray().Where(a => a.GetProperty("subject").GetString() == Gauge).Select(a => a.Clone())];
    }

    private static async Task<JsonElement> WaitForAlertAsync(HttpClient http, string severity, SiloProcess silo)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement? match = (await ActiveAsync(http)).Cast<JsonElement?>().FirstOrDefault(a =>
                a!.Value.GetProperty("rule").GetString() == "water-level" && a.Value.GetProperty("severity").GetString() == severity);
            if (match is { } found)
            {
                return found;
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"No {severity} water-level alert for {Gauge}:\n{silo.Output}");
            }

            await Task.Delay(200, Ct);
        }
    }

    private static async Task<JsonElement> WaitForHealthAsync(HttpClient http, string status, SiloProcess silo)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            using JsonDocument health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative), Ct));
            if (health.RootElement.GetProperty("status").GetString() == status)
            {
                return health.RootElement.Clone();
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"/health never said {status}: {health.RootElement}\n{silo.Output}");
            }

            await Task.Delay(200, Ct);
        }
    }

    private static async Task RunAsync(string program, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string error = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', args)}: {error}");
    }
}
