using System.Diagnostics;
using System.Globalization;

namespace Resilience.TestKit;

/// <summary>
/// A real PostgreSQL server (Debian's, version 15 here) in its own temp directory on a free loopback port:
/// <c>initdb</c> with trust authentication for the <c>postgres</c> user, then <c>postgres</c> in the foreground.
/// PostgreSQL refuses to run as root, so when the tests run as root both programs run as <c>nobody</c>
/// (through <c>setpriv</c>) and the directory is handed to that user. Stop and start it again on the same port
/// and data to test an outage of the store.
/// </summary>
public sealed class PostgresProcess : IAsyncDisposable
{
    private const string Database = "postgres";
    private readonly TempDirectory _dir = new("postgres");
    private ExternalProcess? _process;

    private PostgresProcess(int port)
    {
        Port = port;
    }

    /// <summary>The listener port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string (no pooling surprises: tests may stop the server under it).</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={Database};Timeout=5;Command Timeout=10";

    /// <summary>The data directory (cluster files).</summary>
    public string DataDirectory => Path.Combine(_dir.Path, "data");

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _process?.IsRunning ?? false;

    /// <summary>Server output so far, for assertion messages.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Creates a cluster with <c>initdb</c> and starts the server on a free port.</summary>
    public static async Task<PostgresProcess> StartAsync()
    {
        var server = new PostgresProcess(FreePort.Next());
        try
        {
            await server.InitAsync();
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)starts the server on the same port and data directory; waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        (string file, List<string> args) = AsServerUser(Binary("postgres"),
        [
            "-D", DataDirectory,
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=" + _dir.Path,
            "-c", "fsync=off",
            "-c", "max_connections=200",
        ]);
        _process = ExternalProcess.Start(file, args, _dir.Path);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));

        // The port opens a moment before the server accepts sessions; pg_isready would need the client package.
        var sw = Stopwatch.StartNew();
        while (!_process.Output.Contains("ready to accept connections", StringComparison.Ordinal))
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30) || !_process.IsRunning)
            {
                throw new TimeoutException($"PostgreSQL did not become ready:\n{_process.Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server with a fast shutdown (SIGINT: sessions are cut, data is kept).</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(20), "INT");
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

    private static string Binary(string name)
    {
        foreach (string dir in new[] { "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin" })
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return ExternalProcess.Which(name)
            ?? throw new InvalidOperationException($"{name} is not installed; ./test.sh installs it (apt-get install postgresql).");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static (string File, List<string> Args) AsServerUser(string program, IEnumerable<string> args)
    {
        if (!IsRoot)
        {
            return (program, [.. args]);
        }

        string setpriv = ExternalProcess.Which("setpriv")
            ?? throw new InvalidOperationException("setpriv (util-linux) is needed to run PostgreSQL as an unprivileged user.");
        return (setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--reset-env", program, .. args]);
    }

    private async Task InitAsync()
    {
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "nobody:nogroup", _dir.Path]);
        }

        (string file, List<string> args) = AsServerUser(Binary("initdb"),
            ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        await RunAsync(file, args);
    }

    private async Task RunAsync(string file, IEnumerable<string> args)
    {
        await using ExternalProcess process = ExternalProcess.Start(file, args, _dir.Path);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (process.IsRunning)
        {
            await Task.Delay(50, cts.Token);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{process.Output}");
        }
    }
}
