using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Resilience.TestKit;

/// <summary>
/// A real peer process (mosquitto, influxd, the silo) started by a test: output captured for diagnostics,
/// killed with its process tree on dispose.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The operating-system process id.</summary>
    public int Id => _process.Id;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The exit code once the process has exited (waits for it).</summary>
    public int ExitCode
    {
        get
        {
            _process.WaitForExit();
            return _process.ExitCode;
        }
    }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Resolves a program on PATH (plus /usr/sbin, where Debian puts mosquitto), or null.</summary>
    public static string? Which(string program)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string dir in path.Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            string candidate = System.IO.Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Waits until a TCP connect to 127.0.0.1:<paramref name="port"/> succeeds.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"Process exited before listening on {port}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listened on {port} within {timeout}:\n{Output}");
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (SIGTERM by default; PostgreSQL wants INT for a fast shutdown) and waits
    /// for exit, killing the process tree when the grace period runs out.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null, string signal = "TERM")
    {
        if (!IsRunning)
        {
            return;
        }

        try
        {
            using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
            using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>Kills the process tree at once (SIGKILL).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
