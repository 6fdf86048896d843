using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MQTTnet.Exceptions;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Running;
using Resilience.Simulation.Scenarios;

namespace Resilience.SensorSimulator;

/// <summary>
/// <c>resilience-simulator --host --port --registry --scenario &lt;name|path&gt; --speed &lt;compression&gt; --loop</c>:
/// plays a scenario for every registry sensor over one MQTT connection.
/// </summary>
internal static class SimulatorProgram
{
    private const string Usage = """
        usage: Resilience.SensorSimulator [--host 127.0.0.1] [--port 1883] [--registry <file>] [--scenario calm|danang-typhoon|hanoi-smog|<path>]
                                          [--speed <simulated s per real s; 0 = flat out>] [--loop] [--qos 0|1]
                                          [--timestamps simulated|receive] [--start <RFC 3339>] [--client-id <id>]
                                          [--live [--now-at <hours>]] [--provinces <slug,slug>] [--username <user> --password <password>]
        The password may come from the MQTT_PASSWORD environment variable instead (kept out of the process list).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (CommandLine.ParseOrExit(args, Usage, out int exitCode) is not { } cl)
        {
            return exitCode;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cts.Cancel();
        });

        try
        {
            return await RunCoreAsync(cl, cts.Token);
        }
        catch (Exception ex) when (ex is FormatException or FileNotFoundException or IOException or SocketException or MqttCommunicationException or InvalidOperationException or YamlDotNet.Core.YamlException)
        {
            Console.Error.WriteLine($"simulator: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunCoreAsync(CommandLine cl, CancellationToken cancellationToken)
    {
        string host = cl.String("host", "127.0.0.1");
        int port = (int)cl.Int("port", 1883);
        int qos = (int)cl.Int("qos", 0);
        string registryPath = cl.Optional("registry") ?? FindRegistry()
            ?? throw new FileNotFoundException("No --registry given and src/Silo/Registry/registry.yaml not found.");
        Scenario scenario = ScenarioLoader.Load(cl.String("scenario", "calm"));
        double speed = cl.Number("speed", scenario.Speed);
        bool loop = cl.Has("loop");
        TimestampMode timestamps = cl.String("timestamps", "simulated") == "receive" ? TimestampMode.Receive : TimestampMode.Simulated;
        IReadOnlyList<SimSensor> sensors = RegistryLoader.Load(registryPath);
        if (cl.Optional("provinces") is { } provinces)
        {
            // Several simulators can share one registry, each driving its own provinces (demo.sh does).
            HashSet<string> wanted = [.. provinces.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            sensors = [.. sensors.Where(s => wanted.Contains(s.Province))];
            if (sensors.Count == 0)
            {
                throw new FormatException($"--provinces {provinces}: no registry sensor is in those provinces.");
            }
        }

        bool live = cl.Has("live");
        double nowAt = cl.Number("now-at", scenario.LiveNowAtHours ?? Math.Min(24, scenario.DurationHours));
        if (live && !(nowAt >= 0 && nowAt <= scenario.DurationHours))
        {
            throw new FormatException($"--now-at must lie between 0 and the scenario's {scenario.DurationHours} hours.");
        }

        string clientId = cl.String("client-id", "resilience-simulator-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var settings = new MqttNetPublisherSettings
        {
            Host = host,
            Port = port,
            ClientId = clientId,
            Qos = qos,
            Username = cl.Optional("username"),
            Password = cl.Optional("password") ?? Environment.GetEnvironmentVariable("MQTT_PASSWORD"),
        };
        await using ITelemetryPublisher publisher = await ConnectWithRetryAsync(settings, cancellationToken);
        var runner = new SimulationRunner(publisher, TimeProvider.System, timestamps);
        Console.WriteLine(live
            ? $"simulator: scenario={scenario.Name} sensors={sensors.Count} live (backfill {nowAt} h, then real time) broker={host}:{port} qos={qos}"
            : $"simulator: scenario={scenario.Name} sensors={sensors.Count} speed={speed} broker={host}:{port} qos={qos}");
        try
        {
            await runner.PublishStatusAsync(sensors, "online", cancellationToken);
            if (live)
            {
                await RunLiveAsync(runner, scenario, sensors, nowAt, loop, cancellationToken);
            }

            while (!live)
            {
                // Simulated time ends "now" by default, so timestamps are never ahead of the backend's clock.
                DateTimeOffset start = cl.Optional("start") is { } s
                    ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)
                    : TruncateToMinute(TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(scenario.DurationHours));
                var engine = new ScenarioEngine(scenario, sensors, start);
                long n = await runner.RunAsync(engine, speed, cancellationToken);
                Console.WriteLine($"simulator: {scenario.Name} {engine.Start:u} → {engine.End:u} published={n} total={runner.Published}");
                if (!loop || cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            await publisher.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        using var bye = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await runner.PublishStatusAsync(sensors, "offline", bye.Token);
            await publisher.DrainAsync(bye.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or MqttCommunicationException)
        {
        }

        Console.WriteLine($"simulator: sent={publisher.Sent} telemetry={runner.Published}");
        return 0;
    }

    /// <summary>
    /// Backfills the scenario's first <paramref name="nowAt"/> hours ending now as fast as the broker takes them, then
    /// plays the rest in real time; with <paramref name="loop"/> the next round starts where the last one ended, so
    /// time only moves forward.
    /// </summary>
    private static async Task RunLiveAsync(SimulationRunner runner, Scenario scenario, IReadOnlyList<SimSensor> sensors, double nowAt, bool loop, CancellationToken cancellationToken)
    {
        long began = TimeProvider.System.GetTimestamp();
        DateTimeOffset start = TruncateToMinute(TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(nowAt));
        do
        {
            var engine = new ScenarioEngine(scenario, sensors, start);
            long n = await runner.RunLiveAsync(
                engine,
                backfilled => Console.WriteLine(FormattableString.Invariant(
                    $"simulator: backfill reached now: {backfilled} readings from {engine.Start:u} in {TimeProvider.System.GetElapsedTime(began).TotalSeconds:F1} s; real time from here")),
                cancellationToken);
            Console.WriteLine($"simulator: {scenario.Name} {engine.Start:u} → {engine.End:u} published={n} total={runner.Published}");
            start = engine.End;
        }
        while (loop && !cancellationToken.IsCancellationRequested);
    }

    private static async Task<ITelemetryPublisher> ConnectWithRetryAsync(MqttNetPublisherSettings settings, CancellationToken cancellationToken)
    {
        // The broker may still be starting (demo.sh starts everything together): retry for a minute.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await MqttNetPublisher.ConnectAsync(settings, cancellationToken);
            }
            catch (Exception ex) when (attempt < 60 && ex is SocketException or IOException or MqttCommunicationException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static DateTimeOffset TruncateToMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    private static string? FindRegistry()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "Silo", "Registry", "registry.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
