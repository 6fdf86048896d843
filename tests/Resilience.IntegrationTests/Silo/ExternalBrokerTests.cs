using System.Text.Json;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The silo consuming from an external broker (a real mosquitto) instead of its embedded one.</summary>
[Trait("Category", "Integration")]
public sealed class ExternalBrokerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silo_WithExternalHost_ConsumesTelemetryPublishedToMosquitto()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        using var dir = new TempDirectory("silo-external");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Resilience:Mqtt:Broker:Enabled"] = "false",
            ["Resilience:Mqtt:External:Host"] = "127.0.0.1",
            ["Resilience:Mqtt:External:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Resilience:Influx:Url"] = string.Empty,
        });
        using var http = new HttpClient { BaseAddress = silo.Url };
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;

        double seen = double.NaN;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && double.IsNaN(seen))
        {
            // Published until seen: the silo's shared subscription may not be in place at the first publish.
            await MosquittoClients.PublishAsync(mosquitto.Port, "sensors/hanoi/hn-longbien-wl/telemetry",
                $$$"""{"ts":{{{ts}}},"seq":1,"values":{"water_level":9.75}}""", qos: 1, mqtt5: false, cancellationToken: Ct);
            using JsonDocument sensor = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/sensors/hn-longbien-wl", UriKind.Relative), Ct));
            if (sensor.RootElement.GetProperty("values").TryGetProperty("water_level", out JsonElement level))
            {
                seen = level.GetProperty("value").GetDouble();
            }
            else
            {
                await Task.Delay(250, Ct);
            }
        }

        seen.Should().Be(9.75, "the reading published to mosquitto reaches the sensor grain through the external consumer\n" + silo.Output);
    }
}
