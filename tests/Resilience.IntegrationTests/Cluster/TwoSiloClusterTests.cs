using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MQTTnet;
using Resilience.IntegrationTests.Alerts;
using Resilience.IntegrationTests.EndToEnd;
using Resilience.IntegrationTests.MqttClient;
using Resilience.IntegrationTests.Web;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Cluster;

/// <summary>
/// Issue 9's cluster acceptance: a real redis-server (membership), a real PostgreSQL (grain state, the alert
/// ledger, the sensor snapshots), a real influxd, and two silo OS processes. Devices publish to both silos; both
/// APIs show one picture; a level III alert raised by a grain on either silo is seen on both silos' SSE streams and
/// MQTT alert topics and acknowledged on silo B; the webhook gets each version once, in order; one silo is killed
/// (SIGKILL) while InfluxDB is down, its devices move to the survivor, its grains come back there with their
/// state, and after it is restarted on its own data directory every acknowledged reading is in InfluxDB once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TwoSiloClusterTests
{
    private const string Database = "cluster";
    private const string Secret = "cluster-webhook-secret-0123456789";
    private const string Operator = "duty";
    private const string OperatorPassword = "cluster-duty-password";
    private const string AlertGauge = "dn-camle-wl"; // registry: II 2.0 m, III 2.5 m
    private static readonly string[] s_gauges =
        ["dn-camle-wl", "dn-ainghia-wl", "dn-hoikhach-wl", "dn-nongson-wl", "dn-giaothuy-wl", "dn-caulau-wl", "dn-hoian-wl"];

    private static readonly string[] s_zones = ["danang-camle", "danang-vugia", "danang-thubon-trung", "danang-thubon-ha"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoSiloProcesses_OnRedisAndPostgres_ServeOnePicture_SurviveAKill_AndDeliverEveryAlertVersionOnce()
    {
        await using RedisProcess redis = await RedisProcess.StartAsync();
        await using PostgresProcess postgres = await PostgresProcess.StartAsync();
        await using InfluxdProcess influx = await InfluxdProcess.StartAsync(Database);
        await using var hook = new WebhookReceiver(FreePort.Next(), Secret);
        await hook.StartAsync();
        using var dir = new TempDirectory("cluster");
        string clusterId = "t" + Guid.NewGuid().ToString("N")[..8];
        await using SiloProcess a = await SiloProcess.StartAsync(Path.Combine(dir.Path, "a"), Settings(redis, postgres, influx, hook, clusterId));
        await using SiloProcess b = await SiloProcess.StartAsync(Path.Combine(dir.Path, "b"), Settings(redis, postgres, influx, hook, clusterId));
        SiloProcess[] silos = [a, b];
        using var apiA = new SiloHttp(a.Url);
        using var apiB = new SiloHttp(b.Url);

        // Live views on both silos before anything happens.
        await using SseReader sseA = await SseReader.OpenAsync(a.Url);
        await using SseReader sseB = await SseReader.OpenAsync(b.Url);
        await using MqttNetTestClient alertsA = await SubscribeAlertsAsync(a, "alerts-reader-a");
        await using MqttNetTestClient alertsB = await SubscribeAlertsAsync(b, "alerts-reader-b");

        // One device per gauge; even ones publish to silo A, odd ones to silo B.
        var devices = new List<Device>();
        for (int i = 0; i < s_gauges.Length; i++)
        {
            devices.Add(await Device.ConnectAsync(s_gauges[i], silos[i % 2], silos[(i + 1) % 2]));
        }

        try
        {
            // 1. A stream into both silos, then one picture on both APIs.
            await StreamAsync(devices, TimeSpan.FromSeconds(3));
            await WaitForSamePictureAsync(devices, [apiA, apiB]);
            long activeA = await apiA.MetricAsync("resilience_grains_active", Ct);
            long activeB = await apiB.MetricAsync("resilience_grains_active", Ct);
            Report($"activations: silo A {activeA}, silo B {activeB}");
            (activeA + activeB).Should().Be(s_gauges.Length + s_zones.Length, "each gauge and each of its zones has one activation in the cluster");
            activeA.Should().BeGreaterThan(0, "grains are placed on both silos");
            activeB.Should().BeGreaterThan(0, "grains are placed on both silos");

            // 2. Level III on the alert gauge (its device is on silo A); seen and acknowledged on silo B.
            Device alerting = devices.Single(d => d.SensorId == AlertGauge);
            // The jump from 0.5 m flags the first reading as a spike (suspect); the rule wants two clean readings above III.
            await alerting.PublishAsync(2.6);
            await alerting.PublishAsync(2.7);
            await alerting.PublishAsync(2.7);
            JsonElement raised = await WaitForAlertAsync(b, "severe", version: 1);
            long alertId = raised.GetProperty("id").GetInt64();
            (await WaitForAlertAsync(a, "severe", version: 1)).GetProperty("id").GetInt64().Should().Be(alertId, "both silos read one ledger");
            await sseA.WaitForAsync(alertId, version: 1);
            await sseB.WaitForAsync(alertId, version: 1);
            await WaitForRetainedAsync(alertsB, alertId, version: 1);
            await WaitForRetainedAsync(alertsA, alertId, version: 1);
            await AcknowledgeAsync(b, alertId);
            await WaitForAlertAsync(a, "severe", version: 2);
            await sseA.WaitForAsync(alertId, version: 2);
            await sseB.WaitForAsync(alertId, version: 2);
            await WaitForRetainedAsync(alertsA, alertId, version: 2);
            await WaitForRetainedAsync(alertsB, alertId, version: 2);
            await WaitForWebhooksAsync(hook, alertId, 2);

            // 3. InfluxDB goes down (both silos spool), silo A is killed mid-stream, its devices move to B.
            await influx.StopAsync();
            await StreamAsync(devices, TimeSpan.FromSeconds(2));
            long killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Task streaming = StreamAsync(devices, TimeSpan.FromSeconds(5));
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            a.Kill();
            await streaming;
            devices.Should().OnlyContain(d => d.Silo == b, "every device moved to the survivor");
            devices.Where(d => d.FailedOver).Should().NotBeEmpty("devices of the killed silo failed over");

            // The survivor serves every gauge, with the state (the last hour) the grains had before the kill.
            foreach (Device d in devices)
            {
                using JsonDocument view = await apiB.GetJsonAsync("/api/sensors/" + d.SensorId, Ct);
                view.RootElement.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds().Should().Be(d.LastAckedTs, $"{d.SensorId}'s latest reading is its last acknowledged one");
                view.RootElement.GetProperty("history").EnumerateArray()
                    .Select(p => p.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds())
                    .Should().Contain(t => t < killedAtMs - 2000, $"{d.SensorId}'s history from before the kill came back with its grain");
            }

            // 4. InfluxDB back, silo A restarted on its own data directory: it rejoins and replays its spool.
            await influx.StartAgainAsync();
            await a.StartAgainAsync();
            await StreamAsync(devices, TimeSpan.FromSeconds(1));
            await WaitForSamePictureAsync(devices, [apiA, apiB]);
            await WaitForEveryAcknowledgedReadingAsync(influx, devices);

            // The webhook got each version once, in order, signed; the kill added none.
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            List<ReceivedWebhook> mine = [.. hook.Received.Where(w => w.AlertId == alertId)];
            mine.Select(w => w.Version).Should().Equal([1, 2], "each version once, in order");
            mine.Should().OnlyContain(w => w.SignatureValid);
            using JsonDocument spooled = await apiA.GetJsonAsync("/health", Ct);
            Report("silo A health after restart: " + spooled.RootElement.GetRawText());

            // 5. A password guesser alternating between the silos is held back after the cluster's free attempts, not
            //    after each silo's (last: the guesses also slow this address down).
            await GuessPasswordsAsync(silos);
        }
        finally
        {
            foreach (Device d in devices)
            {
                await d.DisposeAsync();
            }

            Report("silo A output tail:\n" + Tail(a.Output));
            Report("silo B output tail:\n" + Tail(b.Output));
        }
    }

    private static Dictionary<string, string> Settings(RedisProcess redis, PostgresProcess postgres, InfluxdProcess influx, WebhookReceiver hook, string clusterId) => new(StringComparer.Ordinal)
    {
        ["Resilience:Cluster:Provider"] = "redis",
        ["Resilience:Cluster:ConnectionString"] = redis.ConnectionString,
        ["Resilience:Cluster:ClusterId"] = clusterId,
        ["Resilience:Storage:Provider"] = "postgres",
        ["Resilience:Storage:ConnectionString"] = postgres.ConnectionString,
        ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
        ["Resilience:Influx:Database"] = Database,
        ["Resilience:Registry:Path"] = RepositoryFiles.Registry,
        ["Resilience:Grains:CheckpointInterval"] = "00:00:01",
        ["Resilience:Grains:SnapshotExchangeInterval"] = "00:00:00.200",
        ["Resilience:Alerts:Webhooks:0:Url"] = hook.Url,
        ["Resilience:Alerts:Webhooks:0:Secret"] = Secret,
        ["Resilience:Web:Operators:0:Username"] = Operator,
        ["Resilience:Web:Operators:0:PasswordHash"] = OperatorPasswordHasher.Hash(OperatorPassword, OperatorPasswordHasher.MinimumIterations),
    };

    /// <summary>Every device publishes one reading every 200 ms for <paramref name="duration"/>.</summary>
    private static async Task StreamAsync(List<Device> devices, TimeSpan duration)
    {
        DateTime until = DateTime.UtcNow + duration;
        await Task.WhenAll(devices.Select(async d =>
        {
            while (DateTime.UtcNow < until)
            {
                await d.PublishAsync(d.SensorId == AlertGauge ? 2.7 : 0.5 + (d.Seq % 100) * 0.001);
                await Task.Delay(200, Ct);
            }
        }));
    }

    /// <summary>Waits until both silos' listings and sensor endpoints show each gauge's last acknowledged reading.</summary>
    private static async Task WaitForSamePictureAsync(List<Device> devices, SiloHttp[] apis)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        string last = string.Empty;
        while (true)
        {
            var problems = new List<string>();
            foreach (SiloHttp api in apis)
            {
                using JsonDocument list = await api.GetJsonAsync("/api/sensors?province=danang&kind=water_level", Ct);
                foreach (Device d in devices)
                {
                    JsonElement item = list.RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == d.SensorId);
                    long? ts = item.GetProperty("ts").ValueKind == JsonValueKind.Null ? null : item.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds();
                    if (ts != d.LastAckedTs)
                    {
                        problems.Add($"listing: {d.SensorId} ts {ts} ≠ {d.LastAckedTs}");
                    }

                    using JsonDocument one = await api.GetJsonAsync("/api/sensors/" + d.SensorId, Ct);
                    double level = one.RootElement.GetProperty("lastLevelM").GetDouble();
                    if (Math.Abs(level - d.LastAckedValue) > 1e-9)
                    {
                        problems.Add($"sensor: {d.SensorId} level {level} ≠ {d.LastAckedValue}");
                    }
                }
            }

            if (problems.Count == 0)
            {
                return;
            }

            last = string.Join("; ", problems);
            DateTime.UtcNow.Should().BeBefore(deadline, "both silos show one picture: " + last);
            await Task.Delay(200, Ct);
        }
    }

    private static async Task<JsonElement> WaitForAlertAsync(SiloProcess silo, string severity, int version)
    {
        using var http = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(30) };
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        string seen = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            seen = await http.GetStringAsync(new Uri("/api/alerts?state=active", UriKind.Relative), Ct);
            using JsonDocument doc = JsonDocument.Parse(seen);
            foreach (JsonElement alert in doc.RootElement.EnumerateArray())
            {
                if (alert.GetProperty("subject").GetString() == AlertGauge && alert.GetProperty("severity").GetString() == severity && alert.GetProperty("version").GetInt32() >= version)
                {
                    return alert.Clone();
                }
            }

            await Task.Delay(100, Ct);
        }

        throw new Xunit.Sdk.XunitException($"no {severity} alert v{version} for {AlertGauge} on {silo.Url}: {seen}");
    }

    private static async Task<MqttNetTestClient> SubscribeAlertsAsync(SiloProcess silo, string clientId)
    {
        MqttNetTestClient client = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(silo.MqttPort, clientId), Ct);
        await client.SubscribeAsync("alerts/#", 1, Ct);
        return client;
    }

    private static async Task WaitForRetainedAsync(MqttNetTestClient client, long alertId, int version)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (MqttNetTestClient.Received m in await client.ReadAsync(1, TimeSpan.FromSeconds(1)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : [], TaskScheduler.Default))
            {
                using JsonDocument doc = JsonDocument.Parse(m.Payload);
                JsonElement root = doc.RootElement.TryGetProperty("alert", out JsonElement inner) ? inner : doc.RootElement;
                if (m.Topic == "alerts/danang/" + AlertGauge && root.GetProperty("id").GetInt64() == alertId && root.GetProperty("version").GetInt32() == version)
                {
                    return;
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"alert {alertId} v{version} never reached this silo's MQTT topic alerts/danang/{AlertGauge}");
    }

    private static async Task AcknowledgeAsync(SiloProcess silo, long alertId)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(60) };
        (await WebTestHost.LoginAsync(http, Operator, OperatorPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        using HttpRequestMessage ack = await WebTestHost.OperatorPostAsync(http, $"/api/alerts/{alertId}/ack", new StringContent("{\"note\":\"on my way\"}", System.Text.Encoding.UTF8, "application/json"));
        using HttpResponseMessage response = await http.SendAsync(ack, Ct);
        response.IsSuccessStatusCode.Should().BeTrue($"the ack on {silo.Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>
    /// Wrong passwords for one name, alternately on each silo, until one answers 429. Each silo allows
    /// <c>FreeAttemptsPerAddress</c> (5) checked failures before it delays; counted per silo, alternating would get
    /// at least 9 checked guesses before the first refusal, counted for the cluster 5 (6 or 7 when a loaded machine
    /// takes longer than the first 1 s delay between two tries).
    /// </summary>
    private static async Task GuessPasswordsAsync(SiloProcess[] silos)
    {
        int checkedGuesses = 0;
        for (int i = 0; i < 20; i++)
        {
            SiloProcess silo = silos[i % silos.Length];
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var http = new HttpClient(handler) { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(60) };
            using HttpResponseMessage answer = await WebTestHost.LoginAsync(http, "guesser", "wrong-password-" + i.ToString(CultureInfo.InvariantCulture));
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Report($"password guessing: refused after {checkedGuesses} checked guesses across both silos (by {silo.Url}, Retry-After {answer.Headers.RetryAfter})");
                answer.Headers.RetryAfter.Should().NotBeNull("a refusal says when to come back");
                checkedGuesses.Should().BeInRange(5, 8, "the silos share one count of failures per address and name");
                return;
            }

            answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            checkedGuesses++;
        }

        throw new Xunit.Sdk.XunitException($"20 wrong passwords alternating between the silos were all checked ({checkedGuesses}); the throttle never refused one");
    }

    private static async Task WaitForWebhooksAsync(WebhookReceiver hook, long alertId, int versions)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (hook.Received.Count(w => w.AlertId == alertId) < versions)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the webhook gets {versions} versions of alert {alertId}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Every acknowledged reading of every gauge is in InfluxDB, and no timestamp is there twice.</summary>
    private static async Task WaitForEveryAcknowledgedReadingAsync(InfluxdProcess influx, List<Device> devices)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var missing = new List<string>();
            foreach (Device d in devices)
            {
                using JsonDocument doc = await influx.QueryAsync($"SELECT \"level\" FROM \"water\" WHERE \"sensor\" = '{d.SensorId}'", Database);
                JsonElement result = doc.RootElement.GetProperty("results")[0];
                var stored = new List<long>();
                if (result.TryGetProperty("series", out JsonElement series))
                {
                    foreach (JsonElement row in series[0].GetProperty("values").EnumerateArray())
                    {
                        stored.Add(row[0].GetInt64() / 1_000_000);
                    }
                }

                stored.Should().OnlyHaveUniqueItems($"{d.SensorId}: no reading is stored twice");
                stored.Should().BeSubsetOf(d.Published, $"{d.SensorId}: only published readings are stored");
                int lost = d.Acknowledged.Count(ts => !stored.Contains(ts));
                if (lost > 0)
                {
                    missing.Add($"{d.SensorId}: {lost} of {d.Acknowledged.Count} acknowledged readings not in InfluxDB yet");
                }
            }

            if (missing.Count == 0)
            {
                Report($"InfluxDB holds every acknowledged reading: {devices.Sum(d => d.Acknowledged.Count)} from {devices.Count} gauges; {devices.Sum(d => d.Published.Count - d.Acknowledged.Count)} published without an acknowledgement");
                return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, string.Join("; ", missing));
            await Task.Delay(500, Ct);
        }
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>A gauge's device: QoS 1 over MQTTnet, moving to the other silo when its silo stops answering.</summary>
    private sealed class Device : IAsyncDisposable
    {
        private readonly SiloProcess _other;
        private MqttNetTestClient _client;

        private Device(string sensorId, SiloProcess silo, SiloProcess other, MqttNetTestClient client)
        {
            SensorId = sensorId;
            Silo = silo;
            _other = other;
            _client = client;
        }

        public string SensorId { get; }

        public SiloProcess Silo { get; private set; }

        public bool FailedOver { get; private set; }

        public long Seq { get; private set; }

        public long LastAckedTs { get; private set; }

        public double LastAckedValue { get; private set; }

        public HashSet<long> Published { get; } = [];

        public List<long> Acknowledged { get; } = [];

        public static async Task<Device> ConnectAsync(string sensorId, SiloProcess silo, SiloProcess other) =>
            new(sensorId, silo, other, await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(silo.MqttPort, "dev-" + sensorId), Ct));

        /// <summary>Publishes one reading at the current time; on failure moves to the other silo and re-sends it.</summary>
        public async Task PublishAsync(double value)
        {
            long ts = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LastAckedTs + 1);
            long seq = ++Seq;
            string payload = string.Create(CultureInfo.InvariantCulture, $"{{\"ts\":{ts},\"seq\":{seq},\"values\":{{\"water_level\":{value}}}}}");
            Published.Add(ts);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    MqttClientPublishResult result = await _client.PublishAsync($"sensors/danang/{SensorId}/telemetry", payload, qos: 1, cancellationToken: timeout.Token);
                    result.IsSuccess.Should().BeTrue($"{SensorId}: PUBACK {result.ReasonCode}");
                    Acknowledged.Add(ts);
                    LastAckedTs = ts;
                    LastAckedValue = value;
                    return;
                }
                catch (Exception ex) when (attempt < 3 && ex is not Xunit.Sdk.XunitException && !Ct.IsCancellationRequested)
                {
                    await _client.DisposeAsync();
                    (Silo, SiloProcess next) = (_other, Silo);
                    _ = next;
                    FailedOver = true;
                    _client = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(Silo.MqttPort, "dev-" + SensorId), Ct);
                }
            }
        }

        public async ValueTask DisposeAsync() => await _client.DisposeAsync();
    }

    /// <summary>An anonymous reader of a silo's <c>/api/alerts/stream</c>.</summary>
    private sealed class SseReader : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<(long Seq, string Event, string Data)> _events = new();
        private Task? _loop;

        private SseReader(Uri url) => _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };

        public static async Task<SseReader> OpenAsync(Uri url)
        {
            var reader = new SseReader(url);
            HttpResponseMessage response = await reader._http.GetAsync(new Uri("/api/alerts/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
            response.EnsureSuccessStatusCode();
            reader._loop = reader.ReadAsync(response);
            return reader;
        }

        public async Task WaitForAsync(long alertId, int version)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var matching = _events.Where(e => e.Event == "alert" && Matches(e.Data, alertId, version)).ToList();
                if (matching.Count > 0)
                {
                    matching.Should().ContainSingle($"alert {alertId} v{version} is sent once on this stream");
                    // The id is the stream's resume mark (docs/architecture.md, Alerts): it never goes back.
                    _events.Select(e => e.Seq).Should().BeInAscendingOrder("the resume mark never goes back");
                    return;
                }

                DateTime.UtcNow.Should().BeBefore(deadline, $"alert {alertId} v{version} reaches this silo's SSE stream; it sent {_events.Count} events");
                await Task.Delay(100, Ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                try
                {
                    await _loop;
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
                {
                }
            }

            _http.Dispose();
            _stop.Dispose();
        }

        private static bool Matches(string data, long alertId, int version)
        {
            using JsonDocument doc = JsonDocument.Parse(data);
            return doc.RootElement.GetProperty("id").GetInt64() == alertId && doc.RootElement.GetProperty("version").GetInt32() == version;
        }

        private async Task ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                long seq = 0;
                string name = string.Empty;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        seq = long.Parse(line[4..], CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        name = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        _events.Enqueue((seq, name, line[6..]));
                    }
                }
            }
        }
    }
}
