using System.Text.Json;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The silo writes its pipeline counters to the `pipeline` measurement the pipeline-health dashboard reads.</summary>
[Trait("Category", "Integration")]
public sealed class PipelineMeasurementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silo_AfterTelemetry_WritesPipelineCountersToInflux()
    {
        await using InfluxdProcess influx = await InfluxdProcess.StartAsync();
        using var dir = new TempDirectory("silo-pipeline");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
            ["Resilience:PipelineMetricsIntervalSeconds"] = "0.5",
        });
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        await MosquittoClients.PublishAsync(silo.MqttPort, "sensors/hanoi/hn-longbien-wl/telemetry",
            $$$"""{"ts":{{{ts}}},"seq":1,"values":{"water_level":9.5}}""", qos: 1, mqtt5: false, cancellationToken: Ct);
        await MosquittoClients.PublishAsync(silo.MqttPort, "sensors/hanoi/hn-longbien-wl/telemetry", "not json", qos: 1, mqtt5: false, cancellationToken: Ct);

        long received = 0, deadLetters = 0, written = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (received < 2 || deadLetters < 1 || written < 1))
        {
            await Task.Delay(500, Ct);
            using JsonDocument doc = await influx.QueryAsync("SELECT last(received), last(dead_letters), last(written) FROM pipeline", "resilience");
            JsonElement result = doc.RootElement.GetProperty("results")[0];
            if (result.TryGetProperty("series", out JsonElement series))
            {
                JsonElement row = series[0].GetProperty("values")[0];
                received = row[1].GetInt64();
                deadLetters = row[2].GetInt64();
                written = row[3].GetInt64();
            }
        }

        received.Should().BeGreaterThanOrEqualTo(2, "both telemetry messages went through the broker");
        deadLetters.Should().BeGreaterThanOrEqualTo(1, "the non-JSON payload is a dead letter");
        written.Should().BeGreaterThanOrEqualTo(1, "the good reading (and earlier samples) reached InfluxDB");
    }
}
