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

        // A second reading above alarm III raises the alert; the silo publishes it retained on mosquitto (MQTTnet
        // publisher), where a subscriber arriving later still finds it.
        await MosquittoClients.PublishAsync(mosquitto.Port, "sensors/hanoi/hn-longbien-wl/telemetry",
            $$$"""{"ts":{{{ts + 500}}},"seq":2,"values":{"water_level":9.8}}""", qos: 1, mqtt5: false, cancellationToken: Ct);
        string exe = ExternalProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("mosquitto_sub is not installed.");
        string output = string.Empty;
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !output.Contains("alerts/hanoi/", StringComparison.Ordinal))
        {
            await using ExternalProcess sub = ExternalProcess.Start(exe,
                ["-h", "127.0.0.1", "-p", mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "alerts/#", "-C", "1", "-W", "2", "-F", "%r %t %p"]);
            while (sub.IsRunning)
            {
                await Task.Delay(100, Ct);
            }

            await Task.Delay(200, Ct); // the last line may still be on its way from the pipe
            output = sub.Output;
        }

        output.Should().StartWith("1 alerts/hanoi/", "the alert is retained on the external broker\n" + silo.Output);
        output.Should().Contain("\"state\":\"raised\"");
    }
}
