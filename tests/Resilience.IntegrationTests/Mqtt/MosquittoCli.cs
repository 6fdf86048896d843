using System.Diagnostics;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Runs Debian's mosquitto_pub / mosquitto_sub against a port.</summary>
internal static class MosquittoCli
{
    public static string Pub => ExternalProcess.Which("mosquitto_pub") ?? throw new InvalidOperationException("mosquitto-clients is not installed; ./test.sh installs it.");

    public static string Sub => ExternalProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("mosquitto-clients is not installed; ./test.sh installs it.");

    /// <summary>Runs mosquitto_pub to completion; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PublishAsync(int port, string version, params string[] args)
    {
        var info = new ProcessStartInfo(Pub)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version })
        {
            info.ArgumentList.Add(a);
        }

        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Poll.Deadline);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts mosquitto_sub -v (one "topic payload" line per message).</summary>
    public static ExternalProcess Subscribe(int port, string version, params string[] args)
    {
        string[] all = ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version, "-v", .. args];
        return ExternalProcess.Start(Sub, all);
    }

    public static string[] Lines(ExternalProcess process)
        => process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
