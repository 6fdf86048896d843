using System.Globalization;
using System.Net;
using System.Text.Json;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>Data and alert honesty on the real silo process: retained alert states after a restart, dead letters for unmatched topics, /health on low disk.</summary>
[Trait("Category", "Integration")]
public sealed class SiloHonestyTests
{
    private const string Gauge = "dn-camle-wl";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WithAlertsOpen_RetainedAlertTopicsAreThereAgain()
    {
        using var dir = new TempDirectory("silo-retained");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Resilience:Influx:Url"] = string.Empty,
            ["Resilience:Health:MinFreeDiskMegabytes"] = "0",
        });
        using var http = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(30) };
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < 3; i++)
        {
            long ts = now - ((3 - i) * 60_000L);
            await MosquittoClients.PublishAsync(silo.MqttPort, $"sensors/danang/{Gauge}/telemetry",
                $$$"""{"ts":{{{ts}}},"seq":{{{i + 1}}},"values":{"water_level":2.7}}""", qos: 1, mqtt5: false, cancellationToken: Ct);
        }

        List<string> topics = [];
        await Poll.UntilAsync(() =>
        {
            using JsonDocument open = JsonDocument.Parse(http.GetStringAsync(new Uri("/api/alerts?state=active", UriKind.Relative), Ct).Result);
            topics = [.. open.RootElement.EnumerateArray().Select(a => $"alerts/{a.GetProperty("province").GetString()}/{a.GetProperty("subject").GetString()}").Distinct()];
            return topics.Count >= 2;
        }, "the gauge's and its zone's alerts", TimeSpan.FromSeconds(60));

        await silo.StopAsync();
        await silo.StartAgainAsync();

        // A siren controller subscribing after the restart: every open alert's state must be retained on its topic.
        string exe = ExternalProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("mosquitto_sub is not installed.");
        await using ExternalProcess subscriber = ExternalProcess.Start(exe,
        [
            "-h", "127.0.0.1", "-p", silo.MqttPort.ToString(CultureInfo.InvariantCulture), "-t", "alerts/#", "-q", "1",
            "--retained-only", "-W", "20", "-F", "MSG %t %p",
        ]);
        await Poll.UntilAsync(() => topics.All(t => subscriber.Output.Contains("MSG " + t + " ", StringComparison.Ordinal)), "the retained alert states", TimeSpan.FromSeconds(30));

        foreach (string line in subscriber.Output.Split('\n').Where(l => l.StartsWith("MSG alerts/", StringComparison.Ordinal)))
        {
            using JsonDocument alert = JsonDocument.Parse(line[(line.IndexOf('{', StringComparison.Ordinal))..]);
            alert.RootElement.GetProperty("state").GetString().Should().NotBe("resolved");
        }

        using JsonDocument health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative), Ct));
        health.RootElement.GetProperty("status").GetString().Should().Be("ok");
    }

    [Fact]
    public async Task UnmatchedSensorsTopic_IsADeadLetter_AndLowDiskMakesHealthDegraded()
    {
        using var dir = new TempDirectory("silo-unmatched");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Resilience:Influx:Url"] = string.Empty,
            // A threshold no disk meets: the data directory's file system counts as low.
            ["Resilience:Health:MinFreeDiskMegabytes"] = "100000000",
        });
        using var http = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(30) };

        await MosquittoClients.PublishAsync(silo.MqttPort, $"sensors/danang/{Gauge}/firmware", "v2.1", qos: 1, mqtt5: false, cancellationToken: Ct);
        await MosquittoClients.PublishAsync(silo.MqttPort, $"sensors/danang/{Gauge}/telemetry/extra", "{}", qos: 1, mqtt5: false, cancellationToken: Ct);

        string deadLetters = Path.Combine(dir.Path, "deadletter");
        string text = string.Empty;
        await Poll.UntilAsync(() =>
        {
            text = Directory.Exists(deadLetters) ? string.Concat(Directory.EnumerateFiles(deadLetters).Select(ReadShared)) : string.Empty;
            return text.Contains("/firmware", StringComparison.Ordinal) && text.Contains("/telemetry/extra", StringComparison.Ordinal);
        }, "both unmatched topics in the dead letters", TimeSpan.FromSeconds(30));
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument deadLetter = JsonDocument.Parse(line);
            deadLetter.RootElement.GetProperty("reason").GetString().Should().NotBeNullOrWhiteSpace();
            deadLetter.RootElement.GetProperty("code").GetString().Should().Be("bad_topic");
        }

        using HttpResponseMessage response = await http.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK, "degraded still serves");
        using JsonDocument health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        health.RootElement.GetProperty("status").GetString().Should().Be("degraded");
        JsonElement disk = health.RootElement.GetProperty("components").GetProperty("disk");
        disk.GetProperty("status").GetString().Should().Be("degraded");
        disk.GetProperty("detail").GetString().Should().Contain("below");
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
