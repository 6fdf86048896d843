using System.Globalization;

namespace Resilience.TestKit;

/// <summary>
/// A real Debian <c>mosquitto</c> broker on a free loopback port with its own temp directory
/// (config, persistence, password file). Stop and start it again on the same port to test reconnects.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("mosquitto");
    private ExternalProcess? _process;

    private MosquittoProcess(int port)
    {
        Port = port;
    }

    /// <summary>The listener port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The broker's working directory (config, persistence).</summary>
    public string Directory => _dir.Path;

    /// <summary>Broker output so far, for assertion messages.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The process id while running (the benchmark reads its CPU time from /proc).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>Extra configuration lines appended to the generated mosquitto.conf.</summary>
    public IList<string> ExtraConfig { get; } = [];

    /// <summary>Starts mosquitto with anonymous access, persistence on, listening on a free port.</summary>
    public static async Task<MosquittoProcess> StartAsync(IEnumerable<string>? extraConfig = null)
    {
        var broker = new MosquittoProcess(FreePort.Next());
        if (extraConfig is not null)
        {
            foreach (string line in extraConfig)
            {
                broker.ExtraConfig.Add(line);
            }
        }

        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>(Re)starts the broker process on the same port and directory.</summary>
    public async Task StartAgainAsync()
    {
        string exe = ExternalProcess.Which("mosquitto")
            ?? throw new InvalidOperationException("mosquitto is not installed; ./test.sh installs it (apt-get install mosquitto).");
        string conf = Path.Combine(_dir.Path, "mosquitto.conf");
        var lines = new List<string>
        {
            "per_listener_settings false",
            $"listener {Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {_dir.Path}/",
            "autosave_interval 1",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "max_queued_messages 100000",
        };
        lines.AddRange(ExtraConfig);
        await File.WriteAllLinesAsync(conf, lines);
        _process = ExternalProcess.Start(exe, ["-c", conf], _dir.Path);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(15));
    }

    /// <summary>Stops the broker gracefully (SIGTERM), keeping its directory for a restart.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
