using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The silo's HTTP API end to end: broker → pipeline → grains → API, with a temp data directory.</summary>
[Trait("Category", "Integration")]
public sealed class SiloApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_Started_ReportsComponents()
    {
        using var dir = new TempDirectory("silo-api");
        await using var factory = new SiloFactory(dir.Path);
        using HttpClient http = factory.CreateClient();

        using JsonDocument health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative), Ct));

        health.RootElement.GetProperty("status").GetString().Should().Be("ok");
        JsonElement components = health.RootElement.GetProperty("components");
        components.GetProperty("registry").GetProperty("sensors").GetInt32().Should().BeGreaterThan(40);
        components.GetProperty("grainStorage").GetProperty("kind").GetString().Should().Be("RelationalGrainStorage");
        File.Exists(Path.Combine(dir.Path, "grains.db")).Should().BeTrue();
    }

    [Fact]
    public async Task PublishedReadings_ThroughBroker_ServedBySensorZoneAndAirQualityApis()
    {
        using var dir = new TempDirectory("silo-api");
        await using var factory = new SiloFactory(dir.Path);
        using HttpClient http = factory.CreateClient();
        MqttBroker broker = factory.Services.GetRequiredService<MqttBroker>();

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PublishAsync(broker, "sensors/hanoi/hn-longbien-wl/telemetry", $$$"""{"ts":{{{now - 60_000}}},"seq":1,"values":{"water_level":10.8,"battery":3.9}}""");
        // Two readings in two different clock hours (the NowCast needs 2 of the last 3 hourly means), the later one at
        // most a minute old: never both in the previous hour, whatever the minute the test runs at.
        long recent = Math.Max(now - 60_000, now - (now % 3_600_000));
        await PublishAsync(broker, "sensors/hanoi/hn-hoankiem-aq/telemetry", $$$"""{"ts":{{{recent - 3_600_000}}},"values":{"pm25":30,"no2":120}}""");
        await PublishAsync(broker, "sensors/hanoi/hn-hoankiem-aq/telemetry", $$$"""{"ts":{{{recent}}},"values":{"pm25":40,"no2":118.7}}""");

        JsonElement sensor = default;
        await Poll.UntilAsync(() =>
        {
            using HttpResponseMessage r = http.GetAsync(new Uri("/api/sensors/hn-longbien-wl", UriKind.Relative), Ct).Result;
            sensor = JsonDocument.Parse(r.Content.ReadAsStringAsync(Ct).Result).RootElement;
            return sensor.GetProperty("values").TryGetProperty("water_level", out _);
        }, "the reading to reach the sensor grain");
        sensor.GetProperty("values").GetProperty("water_level").GetProperty("value").GetDouble().Should().Be(10.8);
        sensor.GetProperty("zone").GetString().Should().Be("hanoi-hong-noithanh");
        sensor.GetProperty("history").GetArrayLength().Should().Be(1);

        using JsonDocument zone = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/zones/hanoi-hong-noithanh", UriKind.Relative), Ct));
        zone.RootElement.GetProperty("level").GetInt32().Should().Be(2, "10.8 m at Long Biên is above alarm II (10.5)");
        zone.RootElement.GetProperty("maxLevelM").GetDouble().Should().Be(10.8);
        zone.RootElement.GetProperty("freshness").GetString().Should().Be("current");
        JsonElement gauge = zone.RootElement.GetProperty("gauges").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "hn-longbien-wl");
        gauge.GetProperty("levelM").GetDouble().Should().Be(10.8);
        gauge.GetProperty("freshness").GetString().Should().Be("current");
        gauge.GetProperty("alarmLevels").GetProperty("ii").GetDouble().Should().Be(10.5);
        gauge.GetProperty("alarmLevels").GetProperty("verified").GetBoolean().Should().BeTrue();
        gauge.GetProperty("alarmLevels").GetProperty("source").GetString().Should().Contain("05/2020/QĐ-TTg").And.NotContain("DOMAIN.md");
        gauge.GetProperty("nextAlarm").ValueKind.Should().Be(JsonValueKind.Null, "one reading is no rate of rise");
        sensor.GetProperty("freshness").GetString().Should().Be("current");
        sensor.GetProperty("levelM").GetDouble().Should().Be(10.8);
        sensor.GetProperty("staleAfterSeconds").GetInt64().Should().Be(180);
        sensor.GetProperty("values").GetProperty("water_level").GetProperty("current").GetBoolean().Should().BeTrue();
        sensor.GetProperty("alarmLevels").GetProperty("iii").GetDouble().Should().Be(11.5);

        JsonElement station = default;
        await Poll.UntilAsync(() =>
        {
            string body = http.GetStringAsync(new Uri("/api/air-quality?province=hanoi", UriKind.Relative), Ct).Result;
            station = JsonDocument.Parse(body).RootElement.EnumerateArray().First(e => e.GetProperty("sensorId").GetString() == "hn-hoankiem-aq");
            return station.GetProperty("vnAqi").ValueKind == JsonValueKind.Number;
        }, "the air station to compute an index");
        station.GetProperty("band").GetProperty("vi").GetString().Should().NotBeNullOrEmpty();
        station.GetProperty("pollutants").GetProperty("no2").GetProperty("subIndex").GetInt32().Should().Be(59);

        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct);
        metrics.Should().Contain("resilience_grains_activations_total").And.Contain("resilience_grains_turn_duration_ms_bucket");

        // The listing reads the snapshot cache: the sensor that reported shows its value, the others are listed too.
        using JsonDocument list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/sensors?province=hanoi", UriKind.Relative), Ct));
        list.RootElement.EnumerateArray().Should().Contain(e => e.GetProperty("id").GetString() == "hn-longbien-wl"
            && e.GetProperty("values").GetProperty("water_level").GetProperty("value").GetDouble() == 10.8);
        list.RootElement.GetArrayLength().Should().BeGreaterThan(3);
    }

    [Fact]
    public async Task SilentStationAndGauge_OldReadings_ApiShowsThemAsLastKnownNotCurrent()
    {
        // Issue 10: a station whose last reading is a day and a half old must not look current.
        using var dir = new TempDirectory("silo-api");
        await using var factory = new SiloFactory(dir.Path);
        using HttpClient http = factory.CreateClient();
        MqttBroker broker = factory.Services.GetRequiredService<MqttBroker>();
        long old = DateTimeOffset.UtcNow.AddHours(-36).ToUnixTimeMilliseconds();
        await PublishAsync(broker, "sensors/hanoi/hn-longbien-wl/telemetry", $$$"""{"ts":{{{old}}},"seq":1,"values":{"water_level":10.8}}""");
        await PublishAsync(broker, "sensors/hanoi/hn-hoankiem-aq/telemetry", $$$"""{"ts":{{{old - 3_600_000}}},"seq":1,"values":{"pm25":90}}""");
        await PublishAsync(broker, "sensors/hanoi/hn-hoankiem-aq/telemetry", $$$"""{"ts":{{{old}}},"seq":2,"values":{"pm25":95}}""");

        JsonElement station = default;
        await Poll.UntilAsync(() =>
        {
            string body = http.GetStringAsync(new Uri("/api/air-quality?province=hanoi", UriKind.Relative), Ct).Result;
            station = JsonDocument.Parse(body).RootElement.EnumerateArray().First(e => e.GetProperty("sensorId").GetString() == "hn-hoankiem-aq");
            return station.GetProperty("lastVnAqi").ValueKind == JsonValueKind.Number;
        }, "the air station to compute an index");
        station.GetProperty("freshness").GetString().Should().Be("stale");
        station.GetProperty("vnAqi").ValueKind.Should().Be(JsonValueKind.Null);
        station.GetProperty("usAqi").ValueKind.Should().Be(JsonValueKind.Null);
        station.GetProperty("band").ValueKind.Should().Be(JsonValueKind.Null);
        station.GetProperty("lastVnAqi").GetInt32().Should().BeGreaterThan(150, "PM2.5 ≈ 95 µg/m³ is 'Xấu'");
        station.GetProperty("updated").GetDateTimeOffset().ToUnixTimeMilliseconds().Should().Be(old);

        using JsonDocument sensor = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/sensors/hn-longbien-wl", UriKind.Relative), Ct));
        sensor.RootElement.GetProperty("freshness").GetString().Should().Be("stale");
        sensor.RootElement.GetProperty("levelM").ValueKind.Should().Be(JsonValueKind.Null);
        sensor.RootElement.GetProperty("lastLevelM").GetDouble().Should().Be(10.8);
        sensor.RootElement.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds().Should().Be(old);
        sensor.RootElement.GetProperty("values").GetProperty("water_level").GetProperty("current").GetBoolean().Should().BeFalse();
        sensor.RootElement.GetProperty("values").GetProperty("water_level").GetProperty("value").GetDouble().Should().Be(10.8);

        using JsonDocument zone = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/zones/hanoi-hong-noithanh", UriKind.Relative), Ct));
        zone.RootElement.GetProperty("freshness").GetString().Should().Be("stale");
        zone.RootElement.GetProperty("nextAlarm").ValueKind.Should().Be(JsonValueKind.Null);
        JsonElement gauge = zone.RootElement.GetProperty("gauges").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "hn-longbien-wl");
        gauge.GetProperty("levelM").ValueKind.Should().Be(JsonValueKind.Null);
        gauge.GetProperty("lastLevelM").GetDouble().Should().Be(10.8);
        gauge.GetProperty("freshness").GetString().Should().Be("stale");

        using JsonDocument camle = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/sensors/dn-camle-wl", UriKind.Relative), Ct));
        JsonElement levels = camle.RootElement.GetProperty("alarmLevels");
        levels.GetProperty("i").ValueKind.Should().Be(JsonValueKind.Null, "Cẩm Lệ's alarm I is in no source: unknown, not guessed");
        levels.GetProperty("ii").GetDouble().Should().Be(2.0);
        levels.GetProperty("verified").GetBoolean().Should().BeFalse();
        levels.GetProperty("source").GetString().Should().Contain("https://");
        camle.RootElement.GetProperty("freshness").GetString().Should().Be("never");
    }

    [Fact]
    public async Task UnknownIds_AnswerNotFound()
    {
        using var dir = new TempDirectory("silo-api");
        await using var factory = new SiloFactory(dir.Path);
        using HttpClient http = factory.CreateClient();

        (await http.GetAsync(new Uri("/api/sensors/nope", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri("/api/zones/nope", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri("/api/air-quality?province=atlantis", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_RestoresSensorStateAndDedupe()
    {
        using var dir = new TempDirectory("silo-api");
        const string payload = """{"ts":"2026-11-22T03:00:00Z","seq":77,"values":{"water_level":2.2}}""";
        await using (var first = new SiloFactory(dir.Path))
        {
            using HttpClient http = first.CreateClient();
            await PublishAsync(first.Services.GetRequiredService<MqttBroker>(), "sensors/danang/dn-camle-wl/telemetry", payload);
            await Poll.UntilAsync(() => http.GetStringAsync(new Uri("/api/zones/danang-camle", UriKind.Relative), Ct).Result.Contains("\"level\":2", StringComparison.Ordinal), "the first reading to reach the zone");
        }

        await using var second = new SiloFactory(dir.Path);
        using HttpClient http2 = second.CreateClient();
        string body = await http2.GetStringAsync(new Uri("/api/sensors/dn-camle-wl", UriKind.Relative), Ct);

        using JsonDocument view = JsonDocument.Parse(body);
        view.RootElement.GetProperty("values").GetProperty("water_level").GetProperty("value").GetDouble().Should().Be(2.2, "graceful shutdown wrote the grain state");
        var grain = second.Services.GetRequiredService<IGrainFactory>().GetGrain<Resilience.Silo.Sensors.ISensorGrain>("dn-camle-wl");
        Resilience.Silo.Sensors.RecordOutcome again = await grain.RecordAsync(
            new Resilience.Silo.Sensors.SensorReading(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), 77, [new(Resilience.Ingest.Pipeline.Quantity.WaterLevel, 2.2)]));
        again.Should().Be(Resilience.Silo.Sensors.RecordOutcome.Duplicate, "the seq window survived the restart");
    }

    private static ValueTask PublishAsync(MqttBroker broker, string topic, string payload) =>
        broker.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain: false, Ct);
}
