using System.Globalization;

namespace Resilience.TestKit;

/// <summary>
/// The real silo executable (the build output of src/Silo) started as a child process on free loopback ports
/// with its own data directory, as operators run it. Stop it (SIGTERM) and start it again on the same data to
/// test restarts; <see cref="Kill"/> for a crash.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private ExternalProcess? _process;

    private SiloProcess(string dataDirectory, int httpPort, int mqttPort, Dictionary<string, string> settings)
    {
        DataDirectory = dataDirectory;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        _settings = settings;
    }

    /// <summary>The silo's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The embedded broker's port on 127.0.0.1.</summary>
    public int MqttPort { get; }

    /// <summary>The HTTP base address.</summary>
    public Uri Url => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>What the silo printed so far.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The process id while running.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>
    /// Starts the silo with <paramref name="settings"/> as configuration switches
    /// (keys like <c>Resilience:Influx:Url</c>), on free HTTP and MQTT ports, and waits for <c>/health</c>.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        // Tests of the pipeline publish anonymously on loopback; the broker's security tests override these.
        var all = new Dictionary<string, string>(BrokerTestAccess.OpenLoopback, StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in OrleansPorts())
        {
            all[key] = value;
        }

        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var silo = new SiloProcess(dataDirectory, FreePort.Next(), FreePort.Next(), all);
        await silo.StartAgainAsync();
        return silo;
    }

    /// <summary>
    /// The Orleans silo-to-silo and gateway ports from <see cref="FreePort"/>: left unset, the silo takes ports the
    /// kernel would also give outgoing connections.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OrleansPorts() => new Dictionary<string, string>
    {
        ["Resilience:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Resilience:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Locates the silo's build output next to the running test assembly.</summary>
    public static string LocateSiloDll()
    {
        // artifacts/bin/<TestProject>/<config>/ → artifacts/bin/Resilience.Silo/<config>/Resilience.Silo.dll
        string here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string config = Path.GetFileName(here);
        string bin = Path.GetDirectoryName(Path.GetDirectoryName(here)!)!;
        string candidate = Path.Combine(bin, "Resilience.Silo", config, "Resilience.Silo.dll");
        if (File.Exists(candidate))
        {
            return candidate;
        }

        string local = Path.Combine(here, "Resilience.Silo.dll");
        return File.Exists(local)
            ? local
            : throw new FileNotFoundException($"Silo build output not found at {candidate}; build the solution first.");
    }

    /// <summary>(Re)starts the process on the same ports and data directory.</summary>
    public async Task StartAgainAsync()
    {
        string dll = LocateSiloDll();
        var args = new List<string>
        {
            dll,
            "--urls", Url.ToString().TrimEnd('/'),
            "--Resilience:DataDirectory=" + DataDirectory,
            "--Resilience:Mqtt:Broker:Port=" + MqttPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach ((string key, string value) in _settings)
        {
            args.Add($"--{key}={value}");
        }

        _process = ExternalProcess.Start("dotnet", args, Path.GetDirectoryName(dll), new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        await _process.WaitForPortAsync(HttpPort, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using HttpResponseMessage health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The silo did not report healthy within 60 s:\n{Output}");
    }

    /// <summary>Graceful stop (SIGTERM): the silo drains its mailboxes and flushes its writer.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(30));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
