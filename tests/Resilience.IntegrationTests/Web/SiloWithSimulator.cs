using System.Net;
using System.Text.Json;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// One real silo (the built Resilience.Silo.dll as a child process, spool-only storage) fed by the simulators, shared
/// by the browser tests of <see cref="SiloWebCollection"/>: Da Nang as demo.sh plays it (the typhoon backfilled up to
/// now, rivers between alarm II and III), the other provinces with 4 h of hanoi-smog, except one Hà Nội station
/// (<see cref="StaleStationId"/>) whose readings end 3 h ago, so it is stale. Ready when /api/air-quality answers every
/// other station of Hà Nội and Đà Nẵng with a VN_AQI.
/// </summary>
public sealed class SiloWithSimulator : IAsyncLifetime
{
    public const string OperatorName = "trucban";
    public const string OperatorPassword = "Mật khẩu trực ban 2026!";

    /// <summary>An air-quality station whose last reading is 3 h old (its interval is 10 min): the silent station.</summary>
    public const string StaleStationId = "hn-longbien-aq";

    private TempDirectory? _data;
    private SiloProcess? _silo;

    /// <summary>The running silo.</summary>
    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    /// <summary>The silo's HTTP base address.</summary>
    public Uri Url => Silo.Url;

    /// <summary>Telemetry messages the simulator published.</summary>
    public long Published { get; private set; }

    public async ValueTask InitializeAsync()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        _data = new TempDirectory("web-silo");
        _silo = await SiloProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Resilience:Influx:Url"] = string.Empty,
            // Minimum iterations keep the suite quick; production hashes use OperatorPasswordHasher.DefaultIterations.
            ["Resilience:Web:Operators:0:Username"] = OperatorName,
            ["Resilience:Web:Operators:0:PasswordHash"] = OperatorPasswordHasher.Hash(OperatorPassword, OperatorPasswordHasher.MinimumIterations),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Published = await SimulatorFeed.BackfillLiveAsync(_silo.MqttPort, "danang-typhoon", s => s.Province == "danang", ct);
        Published += await SimulatorFeed.PublishAsync(_silo.MqttPort, "hanoi-smog", hours: 4, ct, s => s.Province != "danang" && s.Id != StaleStationId);
        Published += await SimulatorFeed.PublishAsync(_silo.MqttPort, "hanoi-smog", hours: 3, ct, s => s.Id == StaleStationId, endAgo: TimeSpan.FromHours(3));
        using HttpClient http = CreateClient(out _);
        foreach (string province in new[] { "hanoi", "danang" })
        {
            await WaitForAqiAsync(http, province, ct);
        }
    }

    /// <summary>An HTTP client with its own cookie jar, no redirects followed.</summary>
    public HttpClient CreateClient(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _data?.Dispose();
    }

    private async Task WaitForAqiAsync(HttpClient http, string province, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        string last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetStringAsync(new Uri("/api/air-quality?province=" + province, UriKind.Relative), ct);
            using JsonDocument doc = JsonDocument.Parse(last);
            if (doc.RootElement.GetArrayLength() > 0
                && doc.RootElement.EnumerateArray().All(s => s.GetProperty("sensorId").GetString() == StaleStationId
                    || s.GetProperty("vnAqi").ValueKind == JsonValueKind.Number))
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"/api/air-quality?province={province} had no VN_AQI for every station within 60 s after {Published} readings: {last}\n{Silo.Output}");
    }
}
