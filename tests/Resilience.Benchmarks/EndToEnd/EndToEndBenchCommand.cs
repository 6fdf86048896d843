using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;
using Resilience.TestKit;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>
/// <c>e2e [--sensors 10000] [--seconds 20] [--connections 8] [--samples 50] [--background-rate 10000] [--qos 0]</c>: the
/// benchmark behind ./bench.sh. Real processes on this machine: influxd, the silo, the load generator and, for the
/// external mode, mosquitto. In one run:
/// 0. the load generator alone, flat out into a sink that discards (its peak rate and CPU: it is not the bottleneck);
///    then its raw publisher and its MQTTnet mode into our broker (a broker-only silo), same sensors, same duration;
/// 1. embedded mode: the load generator publishes into the silo's embedded broker;
/// 2. external mode: the load generator publishes into mosquitto, which the silo consumes with the MQTTnet client
///    through the shared subscription (embedded broker off).
/// For each mode: msgs/s counts rows that reached InfluxDB per second from the first publish to the last row,
/// lost = published − rows, and the CPU time each process spent (utime+stime from /proc/&lt;pid&gt;/stat before and
/// after) divided by the rows; then, with the load generator at the background rate, a gauge is driven across its
/// alarm level and back, each raise and clear timed from the deciding publish to the webhook's arrival.
/// Last line: <c>bench: msgs_per_s=… alert_p50_ms=… alert_p99_ms=… rss_mb=… sensors=… lost=…</c> (the embedded mode)
/// followed by <c>silo_us_per_msg=…</c> and the external mode's <c>ext_…</c> fields and the load generator's figures.
/// </summary>
public sealed class EndToEndBenchCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "e2e";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        var run = new Settings(
            IntArg(args, "--sensors", 10_000), IntArg(args, "--seconds", 20), IntArg(args, "--connections", 8),
            IntArg(args, "--samples", 50), IntArg(args, "--background-rate", 10_000), IntArg(args, "--qos", 0));

        using var temp = new TempDirectory("bench");
        string registry = Path.Combine(temp.Path, "registry.yaml");
        BenchRegistry.Write(registry, run.Sensors);
        Console.WriteLine($"e2e: registry with {run.Sensors} load gauges at {registry}");

        // 0. The load generator alone, then raw vs MQTTnet into our broker.
        int shortSeconds = Math.Max(3, run.Seconds / 2);
        LoadResult alone;
        await using (DiscardBroker sink = DiscardBroker.Start())
        {
            alone = LoadResult.Parse(await RunLoadGeneratorAsync(sink.Port, run.Sensors, 0, run.Connections, shortSeconds, qos: 0));
        }

        Console.WriteLine(Invariant($"e2e: load generator alone (raw, QoS 0, into a discarding sink): {alone.Rate:F0} msg/s using {alone.CpuSeconds / alone.Seconds * 100:F0}% of a core"));
        (LoadResult raw, LoadResult mqttnet, double brokerRawUs, double brokerMqttNetUs) = await ComparePublishersAsync(temp.Path, run, shortSeconds);
        Console.WriteLine(Invariant($"e2e: into our broker (broker-only silo), {run.Connections} connections, QoS {run.Qos}: raw publisher {raw.Rate:F0} msg/s ({raw.CpuSeconds * 1e6 / Math.Max(1, raw.Sent):F2} µs CPU/msg in the load generator, broker {brokerRawUs:F2} µs/msg); MQTTnet client {mqttnet.Rate:F0} msg/s ({mqttnet.CpuSeconds * 1e6 / Math.Max(1, mqttnet.Sent):F2} µs CPU/msg, broker {brokerMqttNetUs:F2} µs/msg)"));

        // 1 and 2. The two modes, one after the other, each on its own influxd and data directory.
        ModeResult embedded = await RunModeAsync("embedded", Path.Combine(temp.Path, "embedded"), registry, run, external: false);
        ModeResult external = await RunModeAsync("external", Path.Combine(temp.Path, "external"), registry, run, external: true);

        Console.WriteLine("e2e: mode      msgs/s   lost  silo µs/msg  influxd µs/msg  mosquitto µs/msg  loadgen µs/msg  alert p50/p99 ms  rss MB");
        foreach (ModeResult m in new[] { embedded, external })
        {
            Console.WriteLine(Invariant($"e2e: {m.Name,-9} {m.MsgsPerSecond,7:F0} {m.Lost,6} {m.SiloUs,12:F2} {m.InfluxUs,15:F2} {m.MosquittoUs,17:F2} {m.LoadGenUs,15:F2} {m.P50,8:F2}/{m.P99:F2} {m.RssMb,7}"));
        }

        Console.WriteLine(Invariant(
            $"bench: msgs_per_s={embedded.MsgsPerSecond:F0} alert_p50_ms={embedded.P50:F2} alert_p99_ms={embedded.P99:F2} rss_mb={embedded.RssMb} sensors={run.Sensors} lost={embedded.Lost} silo_us_per_msg={embedded.SiloUs:F2} ext_msgs_per_s={external.MsgsPerSecond:F0} ext_alert_p50_ms={external.P50:F2} ext_alert_p99_ms={external.P99:F2} ext_rss_mb={external.RssMb} ext_lost={external.Lost} ext_silo_us_per_msg={external.SiloUs:F2} ext_mosquitto_us_per_msg={external.MosquittoUs:F2} loadgen_alone_msgs_per_s={alone.Rate:F0} loadgen_raw_msgs_per_s={raw.Rate:F0} loadgen_mqttnet_msgs_per_s={mqttnet.Rate:F0}"));
        return 0;
    }

    private static async Task<(LoadResult Raw, LoadResult MqttNet, double BrokerRawUs, double BrokerMqttNetUs)> ComparePublishersAsync(string root, Settings run, int seconds)
    {
        await using SiloProcess broker = await SiloProcess.StartAsync(Path.Combine(root, "broker-only"), new Dictionary<string, string>
        {
            ["Resilience:Mode"] = "broker",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        TimeSpan before = ProcessCpu.Read(broker.ProcessId);
        LoadResult raw = LoadResult.Parse(await RunLoadGeneratorAsync(broker.MqttPort, run.Sensors, 0, run.Connections, seconds, run.Qos));
        TimeSpan middle = ProcessCpu.Read(broker.ProcessId);
        LoadResult mqttnet = LoadResult.Parse(await RunLoadGeneratorAsync(broker.MqttPort, run.Sensors, 0, run.Connections, seconds, run.Qos, client: "mqttnet"));
        TimeSpan after = ProcessCpu.Read(broker.ProcessId);
        return (raw, mqttnet, (middle - before).TotalMicroseconds / Math.Max(1, raw.Sent), (after - middle).TotalMicroseconds / Math.Max(1, mqttnet.Sent));
    }

    private static async Task<ModeResult> RunModeAsync(string name, string root, string registry, Settings run, bool external)
    {
        await using InfluxdProcess influx = await InfluxdProcess.StartAsync();
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync();
        MosquittoProcess? mosquitto = external ? await MosquittoProcess.StartAsync() : null;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Resilience:Registry:Path"] = registry,
                ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
                ["Resilience:Alerts:Webhooks:0:Url"] = webhook.Url,
                ["Resilience:Alerts:Webhooks:0:Secret"] = "bench-webhook-secret-0123456789",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            if (mosquitto is not null)
            {
                settings["Resilience:Mqtt:Broker:Enabled"] = "false";
                settings["Resilience:Mqtt:External:Host"] = "127.0.0.1";
                settings["Resilience:Mqtt:External:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture);
                settings["Resilience:Mqtt:External:ClientId"] = "bench-silo";
            }

            await using SiloProcess silo = await SiloProcess.StartAsync(Path.Combine(root, "data"), settings);
            int port = mosquitto?.Port ?? silo.MqttPort;
            Console.WriteLine($"e2e[{name}]: silo pid {silo.ProcessId} http {silo.Url}; publishing to {(mosquitto is null ? "the embedded broker" : "mosquitto")} on {port}; influxd {influx.Url}");
            if (mosquitto is not null)
            {
                await WaitForConsumerAsync(port, influx);
            }

            // Throughput, with every process's CPU time around it.
            (TimeSpan Silo, TimeSpan Influx, TimeSpan Mosquitto) cpu0 = (ProcessCpu.Read(silo.ProcessId), ProcessCpu.Read(influx.ProcessId), ProcessCpu.Read(mosquitto?.ProcessId));
            long rowsBefore = await influx.CountAsync("water", "level");
            var clock = Stopwatch.StartNew();
            string loadOut = await RunLoadGeneratorAsync(port, run.Sensors, rate: 0, run.Connections, run.Seconds, run.Qos);
            LoadResult load = LoadResult.Parse(loadOut);
            Console.WriteLine($"e2e[{name}]: " + LastLine(loadOut));
            (long rowsAfter, TimeSpan until) = await WaitForRowsAsync(influx, rowsBefore + load.Sent, clock);
            long rows = rowsAfter - rowsBefore;
            (TimeSpan Silo, TimeSpan Influx, TimeSpan Mosquitto) cpu1 = (ProcessCpu.Read(silo.ProcessId), ProcessCpu.Read(influx.ProcessId), ProcessCpu.Read(mosquitto?.ProcessId));
            double perRow = 1e6 / Math.Max(1, rows);
            double msgsPerSecond = rows / until.TotalSeconds;
            long lost = Math.Max(0, load.Sent - rows);
            Console.WriteLine(Invariant(
                $"e2e[{name}]: throughput published={load.Sent} rows={rows} in {until.TotalSeconds:F1} s → {msgsPerSecond:F0} msg/s end to end, lost={lost}; CPU s: silo {(cpu1.Silo - cpu0.Silo).TotalSeconds:F1}, influxd {(cpu1.Influx - cpu0.Influx).TotalSeconds:F1}, mosquitto {(cpu1.Mosquitto - cpu0.Mosquitto).TotalSeconds:F1}, load generator {load.CpuSeconds:F1}"));
            long rssAfterLoad = ReadRssMb(silo.ProcessId);

            // Alert latency under background load.
            using var background = new CancellationTokenSource();
            Task<string> backgroundLoad = RunLoadGeneratorAsync(port, run.Sensors, run.BackgroundRate, connections: 2, seconds: 600, run.Qos, cancellationToken: background.Token);
            await Task.Delay(2000);
            List<double> latencies = await MeasureAlertLatencyAsync(port, webhook, run.Samples);
            background.Cancel();
            await IgnoreAsync(backgroundLoad);
            latencies.Sort();
            double p50 = Percentile(latencies, 0.50);
            double p99 = Percentile(latencies, 0.99);
            Console.WriteLine(Invariant(
                $"e2e[{name}]: alert latency over {latencies.Count} transitions at {run.BackgroundRate} msg/s background: p50={p50:F2} ms p99={p99:F2} ms max={(latencies.Count > 0 ? latencies[^1] : double.NaN):F2} ms"));
            long rss = Math.Max(rssAfterLoad, ReadRssMb(silo.ProcessId));
            return new ModeResult(name, msgsPerSecond, lost, rss, p50, p99,
                (cpu1.Silo - cpu0.Silo).TotalMicroseconds / Math.Max(1, rows),
                (cpu1.Influx - cpu0.Influx).TotalMicroseconds / Math.Max(1, rows),
                (cpu1.Mosquitto - cpu0.Mosquitto).TotalMicroseconds / Math.Max(1, rows),
                load.CpuSeconds * perRow);
        }
        finally
        {
            if (mosquitto is not null)
            {
                await mosquitto.DisposeAsync();
            }
        }
    }

    /// <summary>Publishes probe readings into mosquitto until one reaches InfluxDB: the silo's shared subscription is in place.</summary>
    private static async Task WaitForConsumerAsync(int port, InfluxdProcess influx)
    {
        using IMqttClient probe = new MqttClientFactory().CreateMqttClient();
        await probe.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-probe").Build());
        string topic = $"sensors/{BenchRegistry.Province}/{BenchRegistry.AlertGauge}/telemetry";
        var deadline = Stopwatch.StartNew();
        for (long seq = 1; await influx.CountAsync("water", "level") == 0; seq++)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The silo did not consume from mosquitto within 60 s.");
            }

            long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await probe.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic)
                .WithPayload(Invariant($"{{\"ts\":{ts},\"seq\":{seq},\"values\":{{\"water_level\":0.5}}}}"))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await Task.Delay(500);
        }

        await probe.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
    }

    private static async Task<List<double>> MeasureAlertLatencyAsync(int mqttPort, WebhookReceiver webhook, int samples)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort).WithClientId("bench-alert-driver").Build());
        string topic = $"sensors/{BenchRegistry.Province}/{BenchRegistry.AlertGauge}/telemetry";
        var latencies = new List<double>(samples * 2);
        long seq = 1_000_000;
        long lastTs = 0;

        async Task<long> PublishAsync(double level)
        {
            long ts = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), lastTs + 1);
            lastTs = ts;
            seq++;
            string payload = Invariant($"{{\"ts\":{ts},\"seq\":{seq},\"values\":{{\"water_level\":{level}}}}}");
            long started = Stopwatch.GetTimestamp();
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).Build());
            return started;
        }

        // Prime: a normal reading so the gauge's grain is active and the rule has a previous value.
        await PublishAsync(0.5);
        await Task.Delay(500);
        webhook.Drain();
        for (int i = 0; i < samples; i++)
        {
            // Raise needs two consecutive readings above alarm I (the default rule); time from the second.
            await PublishAsync(2.5);
            long raiseAt = await PublishAsync(2.5);
            if (await webhook.WaitForAsync(BenchRegistry.AlertGauge, "water-level", "raised", TimeSpan.FromSeconds(10)) is long got)
            {
                latencies.Add(Stopwatch.GetElapsedTime(raiseAt, got).TotalMilliseconds);
            }

            // Clear needs three consecutive readings below the clear level; time from the third.
            await PublishAsync(0.5);
            await PublishAsync(0.5);
            long clearAt = await PublishAsync(0.5);
            if (await webhook.WaitForAsync(BenchRegistry.AlertGauge, "water-level", "resolved", TimeSpan.FromSeconds(10)) is long cleared)
            {
                latencies.Add(Stopwatch.GetElapsedTime(clearAt, cleared).TotalMilliseconds);
            }
        }

        return latencies;
    }

    private static async Task<(long Rows, TimeSpan Until)> WaitForRowsAsync(InfluxdProcess influx, long expected, Stopwatch clock)
    {
        long last = -1;
        TimeSpan lastChange = clock.Elapsed;
        while (true)
        {
            long count = await influx.CountAsync("water", "level");
            if (count != last)
            {
                last = count;
                lastChange = clock.Elapsed;
            }

            if (count >= expected || clock.Elapsed - lastChange > TimeSpan.FromSeconds(20))
            {
                return (count, lastChange);
            }

            await Task.Delay(250);
        }
    }

    private static async Task<string> RunLoadGeneratorAsync(int port, int sensors, int rate, int connections, int seconds, int qos, string client = "raw", CancellationToken cancellationToken = default)
    {
        string dll = LocateSibling("Resilience.LoadGenerator");
        string[] args =
        [
            dll, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--sensors", sensors.ToString(CultureInfo.InvariantCulture), "--rate", rate.ToString(CultureInfo.InvariantCulture),
            "--connections", connections.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
            "--qos", qos.ToString(CultureInfo.InvariantCulture), "--province", BenchRegistry.Province, "--prefix", BenchRegistry.LoadPrefix,
            "--client", client,
        ];
        await using ExternalProcess process = ExternalProcess.Start("dotnet", args);
        try
        {
            while (process.IsRunning)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            await process.StopAsync(TimeSpan.FromSeconds(10));
        }

        return process.Output;
    }

    private static string LocateSibling(string project)
    {
        string here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string config = Path.GetFileName(here);
        string bin = Path.GetDirectoryName(Path.GetDirectoryName(here)!)!;
        string candidate = Path.Combine(bin, project, config, project + ".dll");
        return File.Exists(candidate) ? candidate : throw new FileNotFoundException($"{project} build output not found at {candidate}.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static long ParseSent(string output)
    {
        string line = LastLine(output);
        int at = line.IndexOf("sent=", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("The load generator printed no result line:\n" + output);
        }

        int end = line.IndexOf(' ', at);
        return long.Parse(line.AsSpan(at + 5, (end < 0 ? line.Length : end) - at - 5), CultureInfo.InvariantCulture);
    }

    private static string LastLine(string output)
    {
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            if (lines[i].StartsWith("loadgen:", StringComparison.Ordinal))
            {
                return lines[i];
            }
        }

        return lines.Length > 0 ? lines[^1] : string.Empty;
    }

    private static long ReadRssMb(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }

        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid.Value.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string kb = line[6..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) / 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        int index = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private static async Task IgnoreAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Settings(int Sensors, int Seconds, int Connections, int Samples, int BackgroundRate, int Qos);

    private sealed record ModeResult(string Name, double MsgsPerSecond, long Lost, long RssMb, double P50, double P99, double SiloUs, double InfluxUs, double MosquittoUs, double LoadGenUs);

    /// <summary>The load generator's result line: <c>loadgen: sent=… msgs_per_s=… cpu_s=… seconds=…</c>.</summary>
    private sealed record LoadResult(long Sent, double Rate, double CpuSeconds, double Seconds)
    {
        public static LoadResult Parse(string output)
        {
            string line = LastLine(output);
            return new LoadResult(ParseSent(output), Field(line, "msgs_per_s"), Field(line, "cpu_s"), Field(line, "seconds"));
        }

        private static double Field(string line, string name)
        {
            foreach (string part in line.Split(' '))
            {
                if (part.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    return double.Parse(part.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }
    }
}
