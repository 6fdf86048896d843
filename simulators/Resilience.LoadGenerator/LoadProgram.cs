using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Resilience.Simulation.Running;

namespace Resilience.LoadGenerator;

/// <summary>
/// <c>Resilience.LoadGenerator --host --port --sensors N --rate R --connections K --seconds S [--count C] --qos 0|1 --province P
/// --client raw|mqttnet</c>: N synthetic sensors × R msg/s in total over K connections, through the raw publisher
/// (default) or the MQTTnet client; the last line is
/// <c>loadgen: sent=… acked=… seconds=… msgs_per_s=… sensors=… connections=… qos=… client=… cpu_s=…</c> (its own CPU time,
/// so the benchmark can show it is not the bottleneck).
/// </summary>
internal static class LoadProgram
{
    private const string Usage = """
        usage: Resilience.LoadGenerator [--host 127.0.0.1] [--port 1883] [--sensors 1000] [--rate 10000 (msg/s in total; 0 = flat out) | --per-sensor-rate <msg/s>]
                                        [--connections 4] [--seconds 10] [--count <messages>] [--qos 0|1] [--province danang]
                                        [--prefix load] [--ts now|none] [--client raw|mqttnet] [--username <user> --password <password>]
        The password may come from the MQTT_PASSWORD environment variable instead.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (CommandLine.ParseOrExit(args, Usage, out int exitCode) is not { } cl)
        {
            return exitCode;
        }

        string host = cl.String("host", "127.0.0.1");
        int port = (int)cl.Int("port", 1883);
        int sensors = (int)cl.Int("sensors", 1000);
        double rate = cl.Has("per-sensor-rate") ? cl.Number("per-sensor-rate", 1) * sensors : cl.Number("rate", 10_000);
        int connections = (int)Math.Clamp(cl.Int("connections", 4), 1, Math.Max(1, sensors));
        double seconds = cl.Number("seconds", cl.Has("count") ? 3600 : 10);
        long count = cl.Int("count", long.MaxValue);
        int qos = (int)cl.Int("qos", 0);
        string province = cl.String("province", "danang");
        string prefix = cl.String("prefix", "load");
        bool withTs = cl.String("ts", "now") != "none";
        string client = cl.String("client", "raw");
        string? userName = cl.Optional("username");
        string? password = userName is null ? null : cl.Optional("password") ?? Environment.GetEnvironmentVariable("MQTT_PASSWORD");
        var target = new LoadTarget(host, port, userName, password);
        if (sensors < 1 || qos is < 0 or > 1 || seconds <= 0 || client is not ("raw" or "mqttnet"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var groups = new List<LoadTemplate>[connections];
        for (int k = 0; k < connections; k++)
        {
            groups[k] = [];
        }

        for (int i = 0; i < sensors; i++)
        {
            groups[i % connections].Add(new LoadTemplate(LoadTemplate.Topic(province, prefix, i), qos, withTs));
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            // A TERM (bench.sh stopping background load) still prints the result line.
            ctx.Cancel = true;
            cts.Cancel();
        });

        var conns = new ILoadConnection[connections];
        var tasks = new Task[connections];
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < connections; k++)
        {
            conns[k] = client == "raw" ? new LoadConnection([.. groups[k]], qos) : new MqttNetLoadConnection([.. groups[k]], qos);
            long share = count == long.MaxValue ? long.MaxValue : (count / connections) + (k < count % connections ? 1 : 0);
            string clientId = string.Create(CultureInfo.InvariantCulture, $"loadgen-{Environment.ProcessId}-{k}");
            tasks[k] = conns[k].RunAsync(target, clientId, rate / connections, TimeSpan.FromSeconds(seconds), share, cts.Token);
        }

        int exit = 0;
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            Console.Error.WriteLine($"loadgen: {ex.Message}");
            exit = 1;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        long sent = 0;
        long acked = 0;
        double active = 0;
        foreach (ILoadConnection c in conns)
        {
            sent += c.Sent;
            acked += c.Acked;
            active = Math.Max(active, c.ActiveTime.TotalSeconds);
        }

        // The rate is over the sending phase (after CONNACK, until the last write or, at QoS 1, the last PUBACK).
        double perSecond = active > 0 ? sent / active : 0;

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"loadgen: sent={sent} acked={(qos > 0 ? acked : sent)} seconds={elapsed:F2} msgs_per_s={perSecond:F0} sensors={sensors} connections={connections} qos={qos} client={client} cpu_s={Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2}"));
        return exit;
    }
}
