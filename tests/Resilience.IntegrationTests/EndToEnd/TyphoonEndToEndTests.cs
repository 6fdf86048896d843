using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Resilience.IntegrationTests.Storage;
using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Running;
using Resilience.Simulation.Scenarios;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>
/// The acceptance of "grains for every sensor and flood zone, the silo host, the simulators": the real silo
/// process (embedded broker, grains, HTTP API) writing into a real influxd, fed by the simulator's scenario
/// engine, runner and MQTT publisher over TCP.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TyphoonEndToEndTests(InfluxdClassFixture fixture) : IClassFixture<InfluxdClassFixture>
{
    private const string WatchedGauge = "dn-camle-wl";
    private const string ReadingsMetric = "resilience_silo_ingest_readings_total";
    private const string DuplicatesMetric = "resilience_silo_ingest_duplicates_total";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DanangTyphoon_TimeCompressedThroughSilo_ZonesRiseToAlarmIIIAndBackAndEveryReadingStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        const string database = "resilience";
        InfluxdProcess influx = fixture.Server;
        using var dir = new TempDirectory("e2e-typhoon");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, Settings(influx, database));
        using var api = new SiloHttp(silo.Url);

        Scenario scenario = ScenarioLoader.Parse(await File.ReadAllTextAsync(RepositoryFiles.Scenario("danang-typhoon"), ct));
        IReadOnlyList<SimSensor> sensors = RegistryLoader.Load(RepositoryFiles.Registry);
        DateTimeOffset start = WholeSeconds(TimeProvider.System.GetUtcNow()) - TimeSpan.FromHours(scenario.DurationHours);
        var engine = new ScenarioEngine(scenario, sensors, start);
        var ledger = new PublishedLedger();
        foreach (SimReading r in engine.Run())
        {
            ledger.Add(r.Sensor, r.Timestamp, r.Values);
        }

        string[] zones = sensors
            .Where(s => s.Province == "danang" && s.Kind == SensorKind.WaterLevel && s.Zone is not null)
            .Select(s => s.Zone!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        zones.Should().NotBeEmpty();

        // 72 simulated hours in 36 real seconds; simulated time ends at the test's start, so nothing is in the future.
        double speed = scenario.DurationHours * 3600 / 36;
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<Dictionary<string, List<int>>> polling = PollZoneLevelsAsync(api, zones, stopPolling.Token);
        var clock = Stopwatch.StartNew();
        long published;
        await using (MqttNetPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", silo.MqttPort, "e2e-typhoon", qos: 1, ct))
        {
            var runner = new SimulationRunner(publisher, TimeProvider.System, TimestampMode.Simulated);
            await runner.PublishStatusAsync(sensors, "online", ct);
            published = await runner.RunAsync(engine, speed, ct);
            await publisher.DrainAsync(ct);
        }

        TimeSpan publishing = clock.Elapsed;
        published.Should().Be(ledger.Readings, "the runner plays exactly the engine's readings");
        List<string> differences = await WaitForInfluxAsync(ledger, influx, database, ct);
        TimeSpan stored = clock.Elapsed;
        await stopPolling.CancelAsync();
        Dictionary<string, List<int>> polled = await polling;
        differences.Should().BeEmpty("every published reading is in InfluxDB exactly once (silo output:\n{0})", Tail(silo.Output));
        Report(string.Create(CultureInfo.InvariantCulture, $"typhoon: {published} readings from {sensors.Count} sensors published in {publishing.TotalSeconds:F1} s, all stored after {stored.TotalSeconds:F1} s"));

        foreach (string zone in zones)
        {
            List<int> written = Collapse(await InfluxSeries.ZoneLevelsAsync(influx, database, zone));
            List<int> seen = Collapse(polled[zone]);
            Report($"zone {zone}: zone_status {string.Join(",", written)}; /api/zones polls saw {string.Join(",", seen)}");
            written.Should().NotBeEmpty($"{zone} has a zone_status series");
            written[0].Should().Be(0, $"{zone} starts normal: {string.Join(",", written)}");
            written.Max().Should().Be(3, $"{zone} reaches alarm III: {string.Join(",", written)}");
            written[^1].Should().Be(0, $"{zone} returns to normal: {string.Join(",", written)}");
            for (int i = 1; i < written.Count; i++)
            {
                Math.Abs(written[i] - written[i - 1]).Should().Be(1, $"{zone} moves one level at a time (I before II before III, and back): {string.Join(",", written)}");
            }

            IsSubsequence(seen, written).Should().BeTrue($"what /api/zones showed during the run ({string.Join(",", seen)}) happened in zone_status ({string.Join(",", written)})");
        }

        using (JsonDocument zoneList = await api.GetJsonAsync("/api/zones?province=danang", ct))
        {
            foreach (JsonElement z in zoneList.RootElement.EnumerateArray())
            {
                z.GetProperty("level").GetInt32().Should().Be(0, $"{z.GetProperty("id").GetString()} is back to normal at the end");
            }
        }

        foreach ((string id, (DateTimeOffset ts, QuantityValue[] values)) in ledger.Last)
        {
            using JsonDocument sensor = await api.GetJsonAsync("/api/sensors/" + id, ct);
            AssertLatest(sensor.RootElement, id, ts, values);
        }
    }

    [Fact]
    public async Task Restart_StoppedMidScenario_StateComesBackAndResentReadingsAreNotCountedTwice()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        const string database = "e2e_restart";
        const int resent = 40;
        InfluxdProcess influx = fixture.Server;
        (await influx.QueryAsync($"CREATE DATABASE \"{database}\"", method: HttpMethod.Post)).Dispose();
        using var dir = new TempDirectory("e2e-restart");
        await using SiloProcess silo = await SiloProcess.StartAsync(dir.Path, Settings(influx, database));
        using var api = new SiloHttp(silo.Url);

        // Two simulated hours of the typhoon ending at the test's start; the cut is 30 minutes before the end, so
        // the watched gauge's last hour of history is well filled when the silo stops.
        Scenario scenario = ScenarioLoader.Parse(await File.ReadAllTextAsync(RepositoryFiles.Scenario("danang-typhoon"), ct));
        scenario.DurationHours = 2;
        IReadOnlyList<SimSensor> sensors = RegistryLoader.Load(RepositoryFiles.Registry);
        DateTimeOffset start = WholeSeconds(TimeProvider.System.GetUtcNow()) - TimeSpan.FromHours(scenario.DurationHours);
        DateTimeOffset cut = start + TimeSpan.FromMinutes(90);
        var messages = new List<OutgoingMessage>();
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        int cutIndex = -1;
        foreach (SimReading r in new ScenarioEngine(scenario, sensors, start).Run())
        {
            if (cutIndex < 0 && r.Timestamp > cut)
            {
                // A 1.5 m jump within one reporting interval: the gauge's last reading before the stop sets "spike".
                OutgoingMessage last = messages.Last(m => m.Sensor.Id == WatchedGauge);
                QuantityValue[] spiked = last.Values
                    .Select(v => v.Quantity == Quantity.WaterLevel ? new QuantityValue(v.Quantity, Math.Round(v.Value + 1.5, 3)) : v)
                    .ToArray();
                messages.Add(OutgoingMessage.Create(last.Sensor, last.Ts + TimeSpan.FromSeconds(1), NextSeq(seqs, WatchedGauge), spiked));
                cutIndex = messages.Count;
            }

            messages.Add(OutgoingMessage.Create(r.Sensor, r.Timestamp, NextSeq(seqs, r.Sensor.Id), r.Values));
        }

        cutIndex.Should().BeGreaterThan(resent);

        // Sent just before SIGTERM, acknowledged but maybe not yet through the grains: the graceful stop must
        // finish them. Not from the watched gauge's zone, so its snapshot stays comparable across the restart.
        List<OutgoingMessage> inFlight = messages.Skip(cutIndex).Take(300).Where(m => m.Sensor.Zone != "danang-camle").ToList();
        var inFlightSet = new HashSet<OutgoingMessage>(inFlight, ReferenceEqualityComparer.Instance);
        List<OutgoingMessage> rest = messages.Skip(cutIndex).Where(m => !inFlightSet.Contains(m)).ToList();
        var before = new PublishedLedger();
        var beforeStop = new PublishedLedger();
        var all = new PublishedLedger();
        for (int i = 0; i < messages.Count; i++)
        {
            OutgoingMessage m = messages[i];
            all.Add(m.Sensor, m.Ts, m.Values);
            if (i < cutIndex)
            {
                before.Add(m.Sensor, m.Ts, m.Values);
                beforeStop.Add(m.Sensor, m.Ts, m.Values);
            }
            else if (inFlightSet.Contains(m))
            {
                beforeStop.Add(m.Sensor, m.Ts, m.Values);
            }
        }

        await PublishAsync(silo.MqttPort, messages.Take(cutIndex), ct);
        (await WaitForInfluxAsync(before, influx, database, ct)).Should().BeEmpty("the first part is stored before the stop");
        SensorSnapshot gaugeBefore = await SensorSnapshot.ReadAsync(api, WatchedGauge, ct);
        ZoneGaugeSnapshot zoneBefore = await ZoneGaugeSnapshot.ReadAsync(api, "danang-camle", WatchedGauge, ct);
        gaugeBefore.Flags.Should().Contain("spike");
        gaugeBefore.History.Count.Should().BeGreaterThan(20, "30 minutes of one-minute readings are in the last hour");

        await PublishAsync(silo.MqttPort, inFlight, ct);
        var clock = Stopwatch.StartNew();
        await silo.StopAsync();
        await silo.StartAgainAsync();
        Report(string.Create(CultureInfo.InvariantCulture, $"restart: SIGTERM to healthy again in {clock.Elapsed.TotalSeconds:F1} s"));

        // The silo's meter listener starts with the first /metrics scrape (it counts nothing before): scrape once now.
        (await api.MetricAsync(ReadingsMetric, ct)).Should().Be(0, "nothing was sent to the restarted silo yet");
        (await WaitForInfluxAsync(beforeStop, influx, database, ct)).Should().BeEmpty("what was acknowledged before SIGTERM is stored");

        DateTimeOffset windowStart = TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(59);
        SensorSnapshot gaugeAfter = await SensorSnapshot.ReadAsync(api, WatchedGauge, ct);
        ZoneGaugeSnapshot zoneAfter = await ZoneGaugeSnapshot.ReadAsync(api, "danang-camle", WatchedGauge, ct);
        gaugeAfter.Flags.Should().Contain("spike", "quality flags survive the restart");
        gaugeAfter.Values.Should().Equal(gaugeBefore.Values, "the latest values survive the restart");
        gaugeAfter.History.Keys.Should().BeSubsetOf(gaugeBefore.History.Keys, "the history window comes back, nothing invented");
        foreach ((DateTimeOffset ts, string values) in gaugeBefore.History.Where(p => p.Key >= windowStart))
        {
            gaugeAfter.History.Should().ContainKey(ts, "the last hour of history survives the restart");
            gaugeAfter.History[ts].Should().Be(values);
        }

        zoneAfter.Should().Be(zoneBefore, "the flood zone's gauge window survives the restart");

        // The device reconnects and resends what it had in flight around the cut (same seq, same bytes), then goes on.
        // Weather stations send SenML, which carries no seq: only the others can be recognised as resent.
        List<OutgoingMessage> resend = [.. messages.Skip(cutIndex - resent).Take(resent), .. inFlight];
        int resentWithSeq = resend.Count(m => m.Sensor.Kind != SensorKind.Weather);
        resentWithSeq.Should().BeGreaterThan(resend.Count / 2);
        await PublishAsync(silo.MqttPort, resend.Concat(rest), ct);
        long handled = resend.Count + rest.Count;
        List<string> differences = await WaitForInfluxAsync(all, influx, database, ct);
        differences.Should().BeEmpty("InfluxDB holds every distinct reading once (silo output:\n{0})", Tail(silo.Output));
        await WaitUntilAsync(async () => await api.MetricAsync(ReadingsMetric, ct) >= handled, ct);
        (await api.MetricAsync(ReadingsMetric, ct)).Should().Be(handled, "the restarted silo handled every message sent to it");
        (await api.MetricAsync(DuplicatesMetric, ct)).Should().Be(resentWithSeq, "each resent reading with a seq is recognised after the restart");
        Report($"restart: {messages.Count} distinct readings, {inFlight.Count} in flight at SIGTERM, {resend.Count} resent after the restart, the {resentWithSeq} with a seq dropped as duplicates");

        (DateTimeOffset lastTs, QuantityValue[] lastValues) = all.Last[WatchedGauge];
        using JsonDocument final = await api.GetJsonAsync("/api/sensors/" + WatchedGauge, ct);
        AssertLatest(final.RootElement, WatchedGauge, lastTs, lastValues);
    }

    private static Dictionary<string, string> Settings(InfluxdProcess influx, string database) => new(StringComparer.Ordinal)
    {
        ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
        ["Resilience:Influx:Database"] = database,
        ["Resilience:Registry:Path"] = RepositoryFiles.Registry,
    };

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    private static long NextSeq(Dictionary<string, long> seqs, string id)
    {
        long seq = seqs.GetValueOrDefault(id) + 1;
        seqs[id] = seq;
        return seq;
    }

    private static async Task PublishAsync(int port, IEnumerable<OutgoingMessage> messages, CancellationToken ct)
    {
        await using MqttNetPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", port, "e2e-restart", qos: 1, ct);
        foreach (OutgoingMessage m in messages)
        {
            await publisher.PublishAsync(m.Topic, m.Payload, retain: false, ct);
        }

        await publisher.DrainAsync(ct);
    }

    /// <summary>Polls until InfluxDB holds exactly what <paramref name="ledger"/> expects, or the deadline; returns the last differences.</summary>
    private static async Task<List<string>> WaitForInfluxAsync(PublishedLedger ledger, InfluxdProcess influx, string database, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            List<string> differences = await ledger.CompareWithInfluxAsync(influx, database);
            if (differences.Count == 0 || deadline.Elapsed > s_deadline)
            {
                return differences;
            }

            await Task.Delay(500, ct);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition() && deadline.Elapsed < s_deadline)
        {
            await Task.Delay(250, ct);
        }
    }

    /// <summary>Records every Da Nang zone's level from <c>/api/zones</c> until cancelled.</summary>
    private static async Task<Dictionary<string, List<int>>> PollZoneLevelsAsync(SiloHttp api, string[] zones, CancellationToken ct)
    {
        var seen = zones.ToDictionary(z => z, _ => new List<int>(), StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using JsonDocument doc = await api.GetJsonAsync("/api/zones?province=danang", ct);
                foreach (JsonElement z in doc.RootElement.EnumerateArray())
                {
                    if (seen.TryGetValue(z.GetProperty("id").GetString()!, out List<int>? levels))
                    {
                        levels.Add(z.GetProperty("level").GetInt32());
                    }
                }

                await Task.Delay(150, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }

        return seen;
    }

    private static void AssertLatest(JsonElement sensor, string id, DateTimeOffset ts, QuantityValue[] values)
    {
        JsonElement latest = sensor.GetProperty("values");
        foreach (QuantityValue v in values)
        {
            string name = QuantityNames.GetName(v.Quantity);
            latest.TryGetProperty(name, out JsonElement e).Should().BeTrue($"{id} reports {name}: {sensor}");
            e.GetProperty("value").GetDouble().Should().BeApproximately(v.Value, 1e-9, $"{id} {name} is the last published value");
            e.GetProperty("ts").GetDateTimeOffset().Should().Be(ts, $"{id} {name} has the last published timestamp");
        }
    }

    private static List<int> Collapse(List<int> levels)
    {
        var collapsed = new List<int>(levels.Count);
        foreach (int level in levels)
        {
            if (collapsed.Count == 0 || collapsed[^1] != level)
            {
                collapsed.Add(level);
            }
        }

        return collapsed;
    }

    private static bool IsSubsequence(List<int> sub, List<int> sequence)
    {
        int j = 0;
        foreach (int x in sequence)
        {
            if (j < sub.Count && sub[j] == x)
            {
                j++;
            }
        }

        return j == sub.Count;
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
