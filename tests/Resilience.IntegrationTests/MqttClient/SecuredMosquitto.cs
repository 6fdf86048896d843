using System.Diagnostics;
using System.Globalization;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>
/// A mosquitto that authenticates everyone and restricts the shared group to the silo's user, through the
/// dynamic-security plugin shipped in Debian's mosquitto package (mosquitto 2.0.11's <c>acl_file</c> checks only at
/// delivery, so it cannot refuse a <c>$share/…</c> SUBSCRIBE). Users: <c>silo</c>/<c>silo-pw</c> (shared group
/// <c>resilience</c> on <c>sensors/#</c>, writes <c>alerts/#</c>), <c>dn-camle-wl</c>/<c>device-pw</c> and
/// <c>hn-intruder</c>/<c>intruder-pw</c> (devices: publish under their own id only).
/// </summary>
internal sealed class SecuredMosquitto : IAsyncDisposable
{
    private const string Plugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    private SecuredMosquitto(MosquittoProcess broker)
    {
        Broker = broker;
    }

    public MosquittoProcess Broker { get; }

    public static async Task<SecuredMosquitto> StartAsync()
    {
        string plugin = File.Exists(Plugin) ? Plugin : throw new InvalidOperationException($"{Plugin} is missing (apt-get install mosquitto).");
        MosquittoProcess broker = await MosquittoProcess.StartAsync();
        try
        {
            string config = Path.Combine(broker.Directory, "dynamic-security.json");
            await RunAsync("mosquitto_ctrl", ["dynsec", "init", config, "admin", "admin-pw"]);
            MosquittoClients.MakePersistenceWritable(broker);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(config, (UnixFileMode)0b110_110_110);
            }

            await broker.StopAsync();
            broker.ExtraConfig.Add("allow_anonymous false");
            broker.ExtraConfig.Add($"plugin {plugin}");
            broker.ExtraConfig.Add($"plugin_opt_config_file {config}");
            await broker.StartAgainAsync();
            string[] admin = ["-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-u", "admin", "-P", "admin-pw", "dynsec"];
            string[][] commands =
            [
                ["createClient", "silo", "-p", "silo-pw"],
                ["createRole", "silo"],
                ["addRoleACL", "silo", "subscribePattern", "$share/resilience/sensors/#", "allow"],
                ["addRoleACL", "silo", "publishClientSend", "alerts/#", "allow"],
                ["addClientRole", "silo", "silo"],
                ["createRole", "dn-camle-wl"],
                ["addRoleACL", "dn-camle-wl", "publishClientSend", "sensors/danang/dn-camle-wl/#", "allow"],
                ["createClient", "dn-camle-wl", "-p", "device-pw"],
                ["addClientRole", "dn-camle-wl", "dn-camle-wl"],
                ["createRole", "hn-intruder"],
                ["addRoleACL", "hn-intruder", "publishClientSend", "sensors/hanoi/hn-intruder/#", "allow"],
                ["createClient", "hn-intruder", "-p", "intruder-pw"],
                ["addClientRole", "hn-intruder", "hn-intruder"],
            ];
            foreach (string[] command in commands)
            {
                await RunAsync("mosquitto_ctrl", [.. admin, .. command]);
            }

            return new SecuredMosquitto(broker);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();

    private static async Task RunAsync(string program, IEnumerable<string> args)
    {
        string exe = ExternalProcess.Which(program) ?? throw new InvalidOperationException($"{program} is not installed (apt-get install mosquitto-clients).");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        string output = await stdout + await stderr;
        if (process.ExitCode != 0 || output.Contains("Error", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        }
    }
}
