using System.Globalization;
using System.Text.Json;

namespace Resilience.TestKit;

/// <summary>
/// A real Debian <c>influxd</c> (InfluxDB 1.x) on free loopback ports with its own temp directory.
/// Stop and start it again on the same ports and data to simulate an outage.
/// </summary>
public sealed class InfluxdProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("influxd");
    private readonly int _rpcPort;
    private ExternalProcess? _process;

    private InfluxdProcess(int port, int rpcPort)
    {
        Port = port;
        _rpcPort = rpcPort;
    }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The base URL, e.g. http://127.0.0.1:PORT.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Server output so far.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The process id while running (the benchmark reads its CPU time from /proc).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>Starts influxd and creates <paramref name="database"/> (default <c>resilience</c>).</summary>
    public static async Task<InfluxdProcess> StartAsync(string database = "resilience")
    {
        var server = new InfluxdProcess(FreePort.Next(), FreePort.Next());
        await server.StartAgainAsync();
        await server.QueryAsync($"CREATE DATABASE \"{database}\"", method: HttpMethod.Post);
        return server;
    }

    /// <summary>(Re)starts the server on the same ports and data directory.</summary>
    public async Task StartAgainAsync()
    {
        string exe = ExternalProcess.Which("influxd")
            ?? throw new InvalidOperationException("influxd is not installed; ./test.sh installs it (apt-get install influxdb).");
        string d = _dir.Path;
        string conf = Path.Combine(d, "influxdb.conf");
        string config = $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{_rpcPort.ToString(CultureInfo.InvariantCulture)}"
            [meta]
              dir = "{d}/meta"
              logging-enabled = false
            [data]
              dir = "{d}/data"
              wal-dir = "{d}/wal"
              query-log-enabled = false
              wal-fsync-delay = "0s"
            [monitor]
              store-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}"
              log-enabled = false
              pprof-enabled = false
              max-body-size = 0
            [subscriber]
              enabled = false
            [continuous_queries]
              enabled = false
            """;
        await File.WriteAllTextAsync(conf, config);
        _process = ExternalProcess.Start(exe, ["-config", conf], d);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using HttpResponseMessage ping = await http.GetAsync(new Uri("/ping", UriKind.Relative));
                if (ping.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"influxd did not answer /ping:\n{Output}");
    }

    /// <summary>Stops the server gracefully, keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(20));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Runs an InfluxQL statement through <c>/query</c> and returns the parsed JSON answer.</summary>
    public async Task<JsonDocument> QueryAsync(string influxQl, string? database = null, HttpMethod? method = null)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        string query = "q=" + Uri.EscapeDataString(influxQl) + (database is null ? string.Empty : "&db=" + Uri.EscapeDataString(database)) + "&epoch=ns";
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri("/query?" + query, UriKind.Relative));
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxQL failed ({(int)response.StatusCode}): {body}");
        }

        return JsonDocument.Parse(body);
    }

    /// <summary>Counts the points of <paramref name="measurement"/> (by <paramref name="field"/>) in <paramref name="database"/>.</summary>
    public async Task<long> CountAsync(string measurement, string field, string database = "resilience")
    {
        using JsonDocument doc = await QueryAsync($"SELECT count(\"{field}\") FROM \"{measurement}\"", database);
        JsonElement result = doc.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out JsonElement series))
        {
            return 0;
        }

        return series[0].GetProperty("values")[0][1].GetInt64();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
