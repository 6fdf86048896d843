using System.Globalization;

namespace Resilience.TestKit;

/// <summary>
/// A real Debian <c>redis-server</c> on a free loopback port with its own temp directory and no persistence
/// (Orleans membership needs none). Stop and start it again on the same port to test an outage.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("redis");
    private ExternalProcess? _process;

    private RedisProcess(int port)
    {
        Port = port;
    }

    /// <summary>The listener port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _process?.IsRunning ?? false;

    /// <summary>Server output so far, for assertion messages.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Starts redis-server on a free port and waits until it accepts connections.</summary>
    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(FreePort.Next());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>(Re)starts the server on the same port and directory.</summary>
    public async Task StartAgainAsync()
    {
        string exe = ExternalProcess.Which("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed; ./test.sh installs it (apt-get install redis-server).");
        _process = ExternalProcess.Start(exe,
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _dir.Path,
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--loglevel", "warning",
        ], _dir.Path);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(15));
    }

    /// <summary>Stops the server (SIGTERM).</summary>
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
