using Resilience.Ingest.Mqtt.Broker;
using Resilience.IntegrationTests.EndToEnd;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>
/// A real mosquitto started with docker-compose.yml's own broker configuration: <c>dashboards/compose/mosquitto.conf</c>
/// and the ACL <c>dashboards/compose/mosquitto-acl.json</c> (the dynamic-security plugin's file), as mounted into the
/// container, with only the container paths, the listener and the plugin's Debian path rewritten. The password file is
/// written here with the silo's own <c>device-password</c> code (mosquitto_passwd format), as the compose README says.
/// </summary>
internal sealed class ComposeMosquitto : IAsyncDisposable
{
    /// <summary>Where docker-compose.yml mounts the configuration inside the container.</summary>
    private const string ContainerConfig = "/mosquitto/config/";

    /// <summary>The plugin's path in the eclipse-mosquitto image.</summary>
    private const string ContainerPlugin = "/usr/lib/mosquitto_dynamic_security.so";

    /// <summary>The plugin's path in Debian's mosquitto package.</summary>
    private const string DebianPlugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    private readonly TempDirectory _configDir;

    private ComposeMosquitto(MosquittoProcess broker, TempDirectory configDir, IReadOnlyList<string> config)
    {
        Broker = broker;
        _configDir = configDir;
        Config = config;
    }

    public MosquittoProcess Broker { get; }

    /// <summary>The configuration lines taken from the compose file (after the path rewrite).</summary>
    public IReadOnlyList<string> Config { get; }

    public static string ComposeDirectory => Path.Combine(RepositoryFiles.Root, "dashboards", "compose");

    /// <summary>Starts mosquitto with the compose configuration and a password file holding <paramref name="users"/>.</summary>
    public static async Task<ComposeMosquitto> StartAsync(params (string User, string Password)[] users)
    {
        var configDir = new TempDirectory("compose-mosquitto");
        string passwords = Path.Combine(configDir.Path, "mosquitto.passwd");
        foreach ((string user, string password) in users)
        {
            MqttPasswordVerifier.SetPassword(passwords, user, password);
        }

        MqttBrokerSecurityTests.AllowMosquittoToRead(passwords);
        foreach (string file in Directory.EnumerateFiles(ComposeDirectory, "mosquitto*"))
        {
            if (!file.EndsWith(".passwd", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(configDir.Path, Path.GetFileName(file)), overwrite: true);
            }
        }

        if (!File.Exists(DebianPlugin))
        {
            throw new InvalidOperationException($"{DebianPlugin} is missing (apt-get install mosquitto).");
        }

        // MosquittoProcess writes the listener (a free loopback port), persistence and logging itself.
        string[] skipped = ["listener", "persistence", "persistence_location", "log_dest"];
        var lines = new List<string>();
        foreach (string raw in await File.ReadAllLinesAsync(Path.Combine(ComposeDirectory, "mosquitto.conf"), TestContext.Current.CancellationToken))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || skipped.Contains(line.Split(' ')[0], StringComparer.Ordinal))
            {
                continue;
            }

            lines.Add(line.Replace(ContainerPlugin, DebianPlugin, StringComparison.Ordinal).Replace(ContainerConfig, configDir.Path + "/", StringComparison.Ordinal));
        }

        try
        {
            MosquittoProcess broker = await MosquittoProcess.StartAsync(lines);
            return new ComposeMosquitto(broker, configDir, lines);
        }
        catch
        {
            configDir.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        _configDir.Dispose();
    }
}
