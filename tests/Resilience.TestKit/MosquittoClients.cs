using System.Diagnostics;
using System.Globalization;

namespace Resilience.TestKit;

/// <summary>
/// The reference command-line clients shipped with mosquitto (<c>mosquitto_pub</c>, <c>mosquitto_sub</c>,
/// <c>mosquitto_passwd</c>), to cross-check our MQTT code against a third-party implementation.
/// </summary>
public static class MosquittoClients
{
    /// <summary>Publishes one message with <c>mosquitto_pub</c> and waits for it to exit successfully.</summary>
    public static async Task PublishAsync(int port, string topic, string message, int qos, bool mqtt5, bool retain = false, CancellationToken cancellationToken = default)
    {
        var args = new List<string>
        {
            "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-t", topic, "-m", message, "-q", qos.ToString(CultureInfo.InvariantCulture),
            "-V", mqtt5 ? "mqttv5" : "mqttv311",
        };
        if (retain)
        {
            args.Add("-r");
        }

        (int exit, string output) = await RunAsync("mosquitto_pub", args, cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {exit}: {output}");
        }
    }

    /// <summary>Creates (or overwrites) a mosquitto password file with one user.</summary>
    public static async Task CreatePasswordFileAsync(string path, string user, string password, CancellationToken cancellationToken = default)
    {
        (int exit, string output) = await RunAsync("mosquitto_passwd", ["-b", "-c", path, user, password], cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd exited with {exit}: {output}");
        }
    }

    /// <summary>
    /// Starts <c>mosquitto_sub</c> on <paramref name="topic"/> and waits until it is subscribed: it publishes
    /// the payload <c>probe</c> to <paramref name="probeTopic"/> (which the filter must match) until the
    /// subscriber prints it (its debug output is block-buffered, its messages are not). Each received message
    /// is an output line <c>MSG {topic} {payload}</c>.
    /// </summary>
    public static async Task<ExternalProcess> StartSubscriberAsync(int port, string topic, string probeTopic, int qos, bool mqtt5, CancellationToken cancellationToken = default)
    {
        string exe = ExternalProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("mosquitto_sub is not installed (apt-get install mosquitto-clients).");
        ExternalProcess process = ExternalProcess.Start(exe,
        [
            "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "-t", topic, "-q", qos.ToString(CultureInfo.InvariantCulture),
            "-V", mqtt5 ? "mqttv5" : "mqttv311", "-F", "MSG %t %p",
        ]);
        var deadline = Stopwatch.StartNew();
        while (!process.Output.Contains($"MSG {probeTopic} probe", StringComparison.Ordinal))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30) || !process.IsRunning)
            {
                string output = process.Output;
                await process.DisposeAsync();
                throw new TimeoutException($"mosquitto_sub did not subscribe:\n{output}");
            }

            await PublishAsync(port, probeTopic, "probe", 0, mqtt5, cancellationToken: cancellationToken);
            await Task.Delay(100, cancellationToken);
        }

        return process;
    }

    /// <summary>Makes a broker's directory writable for the user mosquitto drops to when started as root, so persistence works.</summary>
    public static void MakePersistenceWritable(MosquittoProcess broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(broker.Directory, (UnixFileMode)0b111_111_111);
        }
    }

    /// <summary>The <c>MSG {topic} {payload}</c> lines a subscriber started by <see cref="StartSubscriberAsync"/> printed so far.</summary>
    public static IReadOnlyList<string> ReceivedLines(ExternalProcess subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var lines = new List<string>();
        foreach (string line in subscriber.Output.Split('\n'))
        {
            if (line.StartsWith("MSG ", StringComparison.Ordinal) && !line.TrimEnd('\r').EndsWith(" probe", StringComparison.Ordinal))
            {
                lines.Add(line.TrimEnd('\r').Substring(4));
            }
        }

        return lines;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        string exe = ExternalProcess.Which(program) ?? throw new InvalidOperationException($"{program} is not installed (apt-get install mosquitto-clients).");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
