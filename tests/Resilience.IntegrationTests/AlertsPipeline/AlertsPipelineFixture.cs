using System.Globalization;
using System.Text;
using System.Text.Json;
using Resilience.IntegrationTests.MqttClient;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.AlertsPipeline;

/// <summary>
/// One real silo (child process, embedded broker on a real socket, spool-only Influx) over a small registry
/// holding every sensor of <see cref="AlertScenarios"/>, and one MQTT device connection publishing their readings.
/// </summary>
public sealed class AlertsPipelineFixture : IAsyncLifetime
{
    /// <summary>Sensor with a 1-s reporting interval: offline after 3 s of silence.</summary>
    public const string OfflineSensor = "dn-hoikhach-wl";

    private TempDirectory? _data;
    private SiloProcess? _silo;
    private MqttNetTestClient? _device;

    /// <summary>Scenario time starts 26 h ago, so the 25-h rainfall scenario stays in the past (no future skew).</summary>
    public DateTimeOffset Start { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600).AddHours(-26);

    public SiloProcess Silo => _silo!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask InitializeAsync()
    {
        _data = new TempDirectory("alerts-pipeline");
        string registry = Path.Combine(_data.Path, "registry.yaml");
        await File.WriteAllTextAsync(registry, RegistryYaml(), TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string>
        {
            ["Resilience:Registry:Path"] = registry,
            ["Resilience:Influx:Url"] = string.Empty,
        };
        int rule = 0;
        foreach (AlertScenario scenario in AlertScenarios.All)
        {
            // Each scenario numbers its configured rules from 0: renumber them into one list.
            var byIndex = new SortedDictionary<int, List<KeyValuePair<string, string?>>>();
            foreach (KeyValuePair<string, string?> pair in scenario.Configuration)
            {
                string[] parts = pair.Key.Split(':');
                int index = int.Parse(parts[3], CultureInfo.InvariantCulture);
                if (!byIndex.TryGetValue(index, out List<KeyValuePair<string, string?>>? list))
                {
                    byIndex[index] = list = [];
                }

                list.Add(new(string.Join(':', parts[4..]), pair.Value));
            }

            foreach (List<KeyValuePair<string, string?>> list in byIndex.Values)
            {
                foreach (KeyValuePair<string, string?> pair in list)
                {
                    settings[$"Resilience:Alerts:Rules:{rule}:{pair.Key}"] = pair.Value ?? string.Empty;
                }

                rule++;
            }
        }

        _silo = await SiloProcess.StartAsync(Path.Combine(_data.Path, "silo"), settings);
        Http.BaseAddress = _silo.Url;
        _device = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(_silo.MqttPort, "alerts-pipeline-device", MQTTnet.Formatter.MqttProtocolVersion.V311).WithNoKeepAlive(),
            TestContext.Current.CancellationToken);
    }

    /// <summary>Publishes one reading (QoS 1) with the scenario time as the payload's <c>ts</c>.</summary>
    public async ValueTask PublishAsync(string province, string sensor, string quantity, double value, DateTimeOffset ts, long seq) =>
        await _device!.PublishAsync(
            $"sensors/{province}/{sensor}/telemetry",
            string.Create(CultureInfo.InvariantCulture, $"{{\"ts\":{ts.ToUnixTimeMilliseconds()},\"seq\":{seq},\"values\":{{\"{quantity}\":{value}}}}}"),
            qos: 1,
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Waits until the silo holds <paramref name="ts"/> as the latest <paramref name="quantity"/> of <paramref name="sensor"/>.</summary>
    public async Task WaitForLatestAsync(string sensor, string quantity, DateTimeOffset ts)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync(new Uri($"/api/sensors/{sensor}", UriKind.Relative), TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using JsonDocument view = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                if (view.RootElement.TryGetProperty("values", out JsonElement values) && values.TryGetProperty(quantity, out JsonElement latest)
                    && latest.GetProperty("ts").GetDateTimeOffset() >= ts)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sensor} never reported {quantity} at {ts:O}:\n{_silo!.Output}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Every alert version of <paramref name="subjects"/> (from <c>/api/alerts?state=all</c> and each alert's
    /// history) as "hh:mm subject rule state severity", in observation order; only <paramref name="rules"/> when given.
    /// </summary>
    public async Task<List<string>> TimelineAsync(IReadOnlyCollection<string> subjects, IReadOnlyCollection<string> rules)
    {
        var entries = new List<(DateTimeOffset At, long Seq, string Line)>();
        using JsonDocument all = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/api/alerts?state=all", UriKind.Relative), TestContext.Current.CancellationToken));
        foreach (JsonElement alert in all.RootElement.EnumerateArray())
        {
            string subject = alert.GetProperty("subject").GetString()!;
            string rule = alert.GetProperty("rule").GetString()!;
            if (!subjects.Contains(subject) || (rules.Count > 0 && !rules.Contains(rule)))
            {
                continue;
            }

            long id = alert.GetProperty("id").GetInt64();
            using JsonDocument history = JsonDocument.Parse(await Http.GetStringAsync(new Uri($"/api/alerts/{id}/history", UriKind.Relative), TestContext.Current.CancellationToken));
            foreach (JsonElement e in history.RootElement.EnumerateArray())
            {
                JsonElement version = e.GetProperty("alert");
                DateTimeOffset at = version.TryGetProperty("observedAt", out JsonElement observed) && observed.ValueKind == JsonValueKind.String
                    ? observed.GetDateTimeOffset()
                    : version.GetProperty("updatedAt").GetDateTimeOffset();
                string line = $"{AlertScenario.Offset(at - Start)} {subject} {rule} {version.GetProperty("state").GetString()} {version.GetProperty("severity").GetString()}";
                entries.Add((at, e.GetProperty("seq").GetInt64(), line));
            }
        }

        entries.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Seq.CompareTo(b.Seq));
        return entries.ConvertAll(e => e.Line);
    }

    /// <summary>Polls <see cref="TimelineAsync"/> until it holds at least <paramref name="count"/> lines (45 s).</summary>
    public async Task<List<string>> WaitForTimelineAsync(IReadOnlyCollection<string> subjects, IReadOnlyCollection<string> rules, int count)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            List<string> lines = await TimelineAsync(subjects, rules);
            if (lines.Count >= count || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_device is not null)
        {
            await _device.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Http.Dispose();
        _data?.Dispose();
    }

    private static string RegistryYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("provinces:\n  - id: danang\n    name: Đà Nẵng\n  - id: hanoi\n    name: Hà Nội\nzones:\n");
        var zones = new HashSet<string>(StringComparer.Ordinal);
        foreach (AlertScenario scenario in AlertScenarios.All)
        {
            foreach (AlertScenarioSensor s in scenario.Sensors)
            {
                // The registry wants every gauge in a zone: a gauge without one gets a zone of its own.
                string? id = s.Kind == "zone" ? s.Id : s.Zone is null && s.Kind is "water_level" or "rain" ? "z-" + s.Id : null;
                int kOfN = s.Kind == "zone" ? s.KOfN : 1;
                if (id is not null && zones.Add(id))
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"  - id: {id}\n    province: {s.Province}\n    name: {id}\n    area: Test\n");
                    yaml.Append(CultureInfo.InvariantCulture, $"    polygon: [[15.98, 108.165], [16.04, 108.181], [16.034, 108.245], [15.98, 108.165]]\n    kOfN: {kOfN}\n");
                }
            }
        }

        yaml.Append("sensors:\n");
        var sensors = new HashSet<string>(StringComparer.Ordinal);
        foreach (AlertScenario scenario in AlertScenarios.All)
        {
            foreach (AlertScenarioSensor s in scenario.Sensors)
            {
                if (s.Kind == "zone" || !sensors.Add(s.Id))
                {
                    continue;
                }

                int interval = s.Id == OfflineSensor ? 1 : 3600;
                yaml.Append(CultureInfo.InvariantCulture, $"  - id: {s.Id}\n    province: {s.Province}\n    kind: {s.Kind}\n    name: {s.Id}\n    area: Test\n");
                if (s.Kind is "water_level" or "rain")
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"    zone: {s.Zone ?? "z-" + s.Id}\n");
                }

                yaml.Append(CultureInfo.InvariantCulture, $"    lat: 16.0\n    lon: 108.2\n    reportingIntervalSeconds: {interval}\n");
                if (s.LevelI is { } i)
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"    alarmLevels:\n      I: {i}\n      II: {s.LevelII}\n      III: {s.LevelIII}\n      source: test\n      verified: true\n");
                    yaml.Append("    limits:\n      hardMin: -3.0\n      hardMax: 18.0\n      maxRisePerHour: 50.0\n");
                }
            }
        }

        return yaml.ToString();
    }
}
