using System.Globalization;
using System.Text;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>
/// Fills influxd the way production does: a real silo (child process) writing to it, fed by the simulator over MQTT.
/// Only the measurements the silo does not produce are written directly (<see cref="DirectOnlyMeasurements"/>).
/// </summary>
internal static class DashboardDataFill
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    /// <summary>What the silo writes from the simulator's readings (its own point writer, its own clock).</summary>
    public static readonly string[] SiloMeasurements = ["water", "rain", "air", "weather", "device", "aqi", "zone_status"];

    /// <summary>
    /// Not produced by the silo fed by the simulator in main: <c>alert</c> (written by the alerts' Influx dispatcher,
    /// but rule evaluation from readings is not wired into the grains yet: feat/rules) and <c>pipeline</c> (no component
    /// writes pipeline counters to InfluxDB yet). Both are written directly by <see cref="Generate"/>.
    /// </summary>
    public static readonly string[] DirectOnlyMeasurements = ["alert", "pipeline"];

    /// <summary>
    /// Starts a silo writing to <paramref name="influx"/> (database <c>resilience</c>), plays the last three simulated hours of the
    /// danang-typhoon scenario for every registry sensor (both provinces) through it, waits until every measurement the
    /// silo writes has rows, stops the silo (which flushes its writer), then writes the direct-only measurements.
    /// </summary>
    public static async Task FillAsync(InfluxdProcess influx, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(influx);
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("dashboards-silo");
        var zones = new List<(string Province, string Zone)>();
        await using (SiloProcess silo = await SiloProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
            ["Resilience:ZoneStatusInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        }))
        {
            long published = await Web.SimulatorFeed.PublishAsync(silo.MqttPort, "danang-typhoon", hours: 3, ct);
            using (var api = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(60) })
            using (System.Text.Json.JsonDocument list = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/zones", UriKind.Relative), ct)))
            {
                foreach (System.Text.Json.JsonElement zone in list.RootElement.EnumerateArray())
                {
                    zones.Add((zone.GetProperty("province").GetString()!, zone.GetProperty("id").GetString()!));
                }
            }


            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            foreach (string measurement in SiloMeasurements)
            {
                while (await RowsAsync(influx, measurement) == 0)
                {
                    DateTime.UtcNow.Should().BeBefore(deadline, $"the silo writes '{measurement}' within 60 s of {published} readings\n{silo.Output}");
                    await Task.Delay(200, ct);
                }
            }
        }

        string lines = Generate(end, zones);
        using var http = new HttpClient { BaseAddress = influx.Url, Timeout = TimeSpan.FromSeconds(60) };
        using var body = new StringContent(lines, Encoding.UTF8);
        using HttpResponseMessage response = await http.PostAsync(new Uri("/write?db=resilience&precision=s", UriKind.Relative), body, ct);
        string answer = await response.Content.ReadAsStringAsync(ct);
        ((int)response.StatusCode).Should().Be(204, answer);
    }

    private static async Task<long> RowsAsync(InfluxdProcess influx, string measurement)
    {
        using System.Text.Json.JsonDocument answer = await influx.QueryAsync($"SELECT COUNT(*) FROM \"{measurement}\"", "resilience");
        System.Text.Json.JsonElement result = answer.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out System.Text.Json.JsonElement series) && series.GetArrayLength() > 0 ? 1 : 0;
    }

    /// <summary>The direct-only measurements (<see cref="DirectOnlyMeasurements"/>): 24 h of pipeline counters and alert lifecycles.</summary>
    internal static string Generate(DateTimeOffset end, IReadOnlyList<(string Province, string Zone)> zones)
    {
        var sb = new StringBuilder(1 << 20);
        var random = new Random(20261122);
        long endS = end.ToUnixTimeSeconds() / 300 * 300;
        int steps = (int)(TimeSpan.FromHours(24) / s_step);
        long received = 0;
        long written = 0;
        long dead = 0;
        for (int i = steps; i >= 0; i--)
        {
            long t = endS - (i * (long)s_step.TotalSeconds);
            received += 60 + random.Next(20);
            written += 58 + random.Next(20);
            dead += random.Next(10) == 0 ? 1 : 0;
            Line(sb, "pipeline", "node=silo-1",
                $"dead_letters={dead.ToString(CultureInfo.InvariantCulture)}i,received={received.ToString(CultureInfo.InvariantCulture)}i,spooled_bytes={(i is > 100 and < 110 ? 4096 * (110 - i) : 0).ToString(CultureInfo.InvariantCulture)}i,written={written.ToString(CultureInfo.InvariantCulture)}i", t);
        }

        // Alert lifecycles: raised → escalated → acknowledged → resolved for one zone; one air-quality alert still active.
        long a0 = endS - (6 * 3600);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-camle", "state=\"raised\",value=1.02", a0);
        Line(sb, "alert", "province=danang,rule=zone-alarm-II,severity=severe,subject=danang-camle", "state=\"escalated\",value=2.01", a0 + 3600);
        Line(sb, "alert", "province=danang,rule=zone-alarm-II,severity=severe,subject=danang-camle", "state=\"acknowledged\",value=2.05", a0 + 4000);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-hoavang", "state=\"raised\",value=1.01", a0 + 5000);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-hoavang", "state=\"resolved\",value=0.95", a0 + 9000);
        Line(sb, "alert", "province=hanoi,rule=aqi-bad,severity=warning,subject=hn-hoankiem-aq", "state=\"raised\",value=168", a0 + 2000);
        Line(sb, "alert", "province=hanoi,rule=zone-alarm-I,severity=minor,subject=hanoi-longbien", "state=\"raised\",value=1.1", a0 + 2500);
        // One alert raised per zone of the silo's registry, so every zone and province a dashboard variable can pick has one.
        foreach ((string province, string zone) in zones)
        {
            Line(sb, "alert", $"province={province},rule=zone-alarm-I,severity=minor,subject={zone}", "state=\"raised\",value=1.2", a0 + 3000);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string measurement, string tags, string fields, long unixSeconds)
    {
        sb.Append(measurement).Append(',').Append(tags).Append(' ').Append(fields).Append(' ')
            .Append(unixSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
