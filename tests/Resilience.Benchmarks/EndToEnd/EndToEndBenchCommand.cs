using System.Diagnostics;
using System.Globalization;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using BenchMqttClient = Resilience.Ingest.Mqtt.Client.MqttClient;
using Resilience.TestKit;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>
/// <c>e2e [--sensors 10000] [--seconds 20] [--connections 8] [--samples 50] [--background-rate 10000]</c>: the
/// benchmark behind ./bench.sh. A real influxd, the real silo (embedded broker, grains, writer, alerts) and the
/// load generator as separate processes on this machine:
/// 1. throughput: the load generator publishes flat out for N sensors; msgs/s counts rows that reached
///    InfluxDB per second from the first publish to the last row, and lost = published − rows;
/// 2. alert latency: with the load generator at the background rate, a gauge is driven across its alarm level
///    and back; each raise and clear is timed from the deciding publish to the webhook's arrival.
/// Last line: <c>bench: msgs_per_s=… alert_p50_ms=… alert_p99_ms=… rss_mb=… sensors=… lost=…</c>.
/// </summary>
public sealed class EndToEndBenchCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "e2e";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        int sensors = IntArg(args, "--sensors", 10_000);
        int seconds = IntArg(args, "--seconds", 20);
        int connections = IntArg(args, "--connections", 8);
        int samples = IntArg(args, "--samples", 50);
        int backgroundRate = IntArg(args, "--background-rate", 10_000);

        using var temp = new TempDirectory("bench");
        string registry = Path.Combine(temp.Path, "registry.yaml");
        BenchRegistry.Write(registry, sensors);
        Console.WriteLine($"e2e: registry with {sensors} load gauges at {registry}");

        await using InfluxdProcess influx = await InfluxdProcess.StartAsync();
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync();
        await using SiloProcess silo = await SiloProcess.StartAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string>
        {
            ["Resilience:Registry:Path"] = registry,
            ["Resilience:Influx:Url"] = influx.Url.ToString().TrimEnd('/'),
            ["Resilience:Alerts:Webhooks:0:Url"] = webhook.Url,
            ["Resilience:Alerts:Webhooks:0:Secret"] = "bench-secret",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Console.WriteLine($"e2e: silo pid {silo.ProcessId} http {silo.Url} mqtt {silo.MqttPort}; influxd {influx.Url}");

        // 1. Throughput.
        var clock = Stopwatch.StartNew();
        string loadOut = await RunLoadGeneratorAsync(silo.MqttPort, sensors, rate: 0, connections, seconds);
        long published = ParseSent(loadOut);
        Console.WriteLine("e2e: " + LastLine(loadOut));
        (long rows, TimeSpan until) = await WaitForRowsAsync(influx, published, clock);
        double msgsPerSecond = rows / until.TotalSeconds;
        long lost = Math.Max(0, published - rows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"e2e: throughput published={published} rows={rows} in {until.TotalSeconds:F1} s → {msgsPerSecond:F0} msg/s end to end, lost={lost}"));
        long rssAfterLoad = ReadRssMb(silo.ProcessId);

        // 2. Alert latency under background load.
        using var background = new CancellationTokenSource();
        Task<string> backgroundLoad = RunLoadGeneratorAsync(silo.MqttPort, sensors, backgroundRate, connections: 2, seconds: 600, background.Token);
        await Task.Delay(2000);
        List<double> latencies = await MeasureAlertLatencyAsync(silo.MqttPort, webhook, samples);
        background.Cancel();
        await IgnoreAsync(backgroundLoad);
        latencies.Sort();
        double p50 = Percentile(latencies, 0.50);
        double p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"e2e: alert latency over {latencies.Count} transitions at {backgroundRate} msg/s background: p50={p50:F2} ms p99={p99:F2} ms max={(latencies.Count > 0 ? latencies[^1] : double.NaN):F2} ms"));

        long rss = Math.Max(rssAfterLoad, ReadRssMb(silo.ProcessId));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: msgs_per_s={msgsPerSecond:F0} alert_p50_ms={p50:F2} alert_p99_ms={p99:F2} rss_mb={rss} sensors={sensors} lost={lost}"));
        return 0;
    }

    private static async Task<List<double>> MeasureAlertLatencyAsync(int mqttPort, WebhookReceiver webhook, int samples)
    {
        await using var client = new BenchMqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = mqttPort, ClientId = "bench-alert-driver" });
        await client.ConnectAsync();
        string topic = $"sensors/{BenchRegistry.Province}/{BenchRegistry.AlertGauge}/telemetry";
        var latencies = new List<double>(samples * 2);
        long seq = 0;
        long lastTs = 0;

        async Task<long> PublishAsync(double level)
        {
            long ts = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), lastTs + 1);
            lastTs = ts;
            seq++;
            byte[] payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"ts\":{ts},\"seq\":{seq},\"values\":{{\"water_level\":{level}}}}}"));
            long started = Stopwatch.GetTimestamp();
            await client.PublishAsync(topic, payload, MqttQualityOfService.AtMostOnce);
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

    private static async Task<string> RunLoadGeneratorAsync(int port, int sensors, int rate, int connections, int seconds, CancellationToken cancellationToken = default)
    {
        string dll = LocateSibling("Resilience.LoadGenerator");
        string[] args =
        [
            dll, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--sensors", sensors.ToString(CultureInfo.InvariantCulture), "--rate", rate.ToString(CultureInfo.InvariantCulture),
            "--connections", connections.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
            "--qos", "0", "--province", BenchRegistry.Province, "--prefix", BenchRegistry.LoadPrefix,
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
}
