using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resilience.Silo.Web;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// TEST-ONLY stand-in for the silo's /api/air-quality, /api/zones and the Alerts API (/api/alerts, ack/resolve, SSE),
/// serving fixed data in exactly the shapes of docs/architecture.md "HTTP API shapes". The pages under test do not know
/// it exists: once the real endpoints are in main, <see cref="WebTestHost"/> switches to them in one line.
/// </summary>
internal sealed class FakeResilienceApi
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, FakeAlert> _alerts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<FakeAlert>, byte> _subscribers = new();
    private readonly ConcurrentDictionary<string, int> _vnAqiOverrides = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _now;

    public FakeResilienceApi(DateTimeOffset now)
    {
        _now = now;
        foreach (FakeAlert alert in SeedAlerts(now))
        {
            _alerts[alert.Id] = alert;
        }
    }

    /// <summary>Stations per province, as /api/air-quality answers.</summary>
    public IReadOnlyList<object> AirQuality(string province) => province switch
    {
        "hanoi" =>
        [
            Station("hn-hoankiem-aq", "Hoàn Kiếm", "hanoi", "Hoàn Kiếm", 21.028, 105.852, 168, 185, "pm25", 21),
            Station("hn-caugiay-aq", "Cầu Giấy", "hanoi", "Cầu Giấy", 21.036, 105.790, 97, 124, "pm25", 22),
            Station("hn-longbien-aq", "Long Biên", "hanoi", "Long Biên", 21.047, 105.889, 43, 61, "o3", 23),
        ],
        "danang" =>
        [
            Station("dn-haichau-aq", "Hải Châu", "danang", "Hải Châu", 16.047, 108.220, 38, 42, "pm10", 24),
        ],
        _ => [],
    };

    /// <summary>Changes a station's current VN_AQI, as a new hourly value would.</summary>
    public void SetVnAqi(string sensorId, int vnAqi) => _vnAqiOverrides[sensorId] = vnAqi;

    /// <summary>Publishes an alert to every SSE subscriber (a new one or a new state of an existing one).</summary>
    public void Publish(FakeAlert alert)
    {
        _alerts[alert.Id] = alert;
        foreach (Channel<FakeAlert> subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(alert);
        }
    }

    public int SubscriberCount => _subscribers.Count;

    public FakeAlert? Get(string id) => _alerts.TryGetValue(id, out FakeAlert? a) ? a : null;

    public void Map(WebApplication app)
    {
        app.MapGet("/api/air-quality", (string? province) => Results.Json(AirQuality(province ?? "hanoi"), s_json));
        app.MapGet("/api/zones", () => Results.Json(Zones(), s_json));
        app.MapGet("/api/alerts", (string? state) =>
        {
            IEnumerable<FakeAlert> all = _alerts.Values;
            if (!string.Equals(state, "all", StringComparison.Ordinal))
            {
                all = all.Where(a => a.State != "resolved");
            }

            return Results.Json(all.OrderByDescending(a => a.UpdatedAt).ToList(), s_json);
        });
        app.MapPost("/api/alerts/{id}/ack", (string id, FakeActionRequest body) => Act(id, body, "acknowledged"))
            .RequireAuthorization(OperatorAuthorization.PolicyName);
        app.MapPost("/api/alerts/{id}/resolve", (string id, FakeActionRequest body) => Act(id, body, "resolved"))
            .RequireAuthorization(OperatorAuthorization.PolicyName);
        app.MapGet("/api/alerts/stream", StreamAsync);
    }

    private IResult Act(string id, FakeActionRequest body, string state)
    {
        if (!_alerts.TryGetValue(id, out FakeAlert? alert))
        {
            return Results.NotFound();
        }

        DateTimeOffset at = DateTimeOffset.UtcNow;
        FakeAlert updated = alert with
        {
            State = state,
            UpdatedAt = at,
            Version = alert.Version + 1,
            AcknowledgedBy = state == "acknowledged" ? body.By : alert.AcknowledgedBy,
            AcknowledgedAt = state == "acknowledged" ? at : alert.AcknowledgedAt,
            Note = body.Note,
        };
        Publish(updated);
        return Results.Json(updated, s_json);
    }

    private async Task StreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var channel = Channel.CreateBounded<FakeAlert>(100);
        _subscribers[channel] = 0;
        try
        {
            await context.Response.WriteAsync(": connected\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (FakeAlert alert in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                string data = JsonSerializer.Serialize(alert, s_json);
                await context.Response.WriteAsync($"event: alert\nid: {alert.Id}-{alert.Version}\ndata: {data}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }

    private object Station(string id, string name, string province, string area, double lat, double lon, int vnAqi, int usAqi, string dominant, int seed)
    {
        vnAqi = _vnAqiOverrides.TryGetValue(id, out int changed) ? changed : vnAqi;
        var history = new List<object>();
        for (int h = 23; h >= 0; h--)
        {
            int value = h == 0 ? vnAqi : Math.Max(5, vnAqi + (((h * seed) % 41) - 20));
            history.Add(new { ts = _now.AddHours(-h).ToString("O", CultureInfo.InvariantCulture), vnAqi = value });
        }

        (string key, string vi, string en, string color) band = vnAqi switch
        {
            <= 50 => ("good", "Tốt", "Good", "#00e400"),
            <= 100 => ("moderate", "Trung bình", "Moderate", "#ffff00"),
            <= 150 => ("poor", "Kém", "Poor", "#ff7e00"),
            <= 200 => ("bad", "Xấu", "Bad", "#ff0000"),
            <= 300 => ("veryBad", "Rất xấu", "Very bad", "#8f3f97"),
            _ => ("hazardous", "Nguy hại", "Hazardous", "#7e0023"),
        };
        return new
        {
            sensorId = id,
            name,
            province,
            area,
            lat,
            lon,
            vnAqi,
            usAqi,
            dominant,
            band = new { band.key, band.vi, band.en, band.color },
            pollutants = new Dictionary<string, object>
            {
                ["pm25"] = new { value = 88.4, subIndex = dominant == "pm25" ? vnAqi : 60 },
                ["pm10"] = new { value = 120.0, subIndex = dominant == "pm10" ? vnAqi : 35 },
                ["o3"] = new { value = 95.2, subIndex = dominant == "o3" ? vnAqi : 30 },
                ["no2"] = new { value = 41.0, subIndex = 21 },
            },
            updated = _now.ToString("O", CultureInfo.InvariantCulture),
            history,
        };
    }

    private static object[] Zones() =>
    [
        new { id = "danang-camle", province = "danang", name = "Cẩm Lệ (sông Hàn)", area = "Cẩm Lệ", level = 2, levelName = "Báo động II", maxLevelM = 2.21, riseMPerHour = 0.18, gauges = new[] { new { id = "dn-camle-wl", levelM = 2.21, alarm = 2 } }, polygon = new[] { new[] { 16.01, 108.19 }, new[] { 16.03, 108.21 }, new[] { 16.00, 108.23 }, new[] { 16.01, 108.19 } } },
        new { id = "danang-hoavang", province = "danang", name = "Hòa Vang (sông Cu Đê)", area = "Hòa Vang", level = 0, levelName = "Bình thường", maxLevelM = 0.62, riseMPerHour = 0.01, gauges = new[] { new { id = "dn-hoavang-wl", levelM = 0.62, alarm = 0 } }, polygon = new[] { new[] { 16.10, 108.05 }, new[] { 16.12, 108.08 }, new[] { 16.09, 108.09 }, new[] { 16.10, 108.05 } } },
        new { id = "danang-lienchieu", province = "danang", name = "Liên Chiểu", area = "Liên Chiểu", level = 1, levelName = "Báo động I", maxLevelM = 1.12, riseMPerHour = 0.07, gauges = new[] { new { id = "dn-lienchieu-wl", levelM = 1.12, alarm = 1 } }, polygon = new[] { new[] { 16.07, 108.14 }, new[] { 16.09, 108.16 }, new[] { 16.06, 108.17 }, new[] { 16.07, 108.14 } } },
        new { id = "danang-nguhanhson", province = "danang", name = "Ngũ Hành Sơn", area = "Ngũ Hành Sơn", level = 3, levelName = "Báo động III", maxLevelM = 2.71, riseMPerHour = 0.32, gauges = new[] { new { id = "dn-nhs-wl", levelM = 2.71, alarm = 3 } }, polygon = new[] { new[] { 15.99, 108.24 }, new[] { 16.01, 108.26 }, new[] { 15.98, 108.27 }, new[] { 15.99, 108.24 } } },
    ];

    private static IEnumerable<FakeAlert> SeedAlerts(DateTimeOffset now)
    {
        yield return new FakeAlert("a-seed-1", "danang-camle", "danang", "zone-alarm-II", "severe", "raised", 2.21, now.AddMinutes(-40), now.AddMinutes(-40), 1, null, null, null);
        yield return new FakeAlert("a-seed-2", "hn-hoankiem-aq", "hanoi", "aqi-bad", "warning", "acknowledged", 168, now.AddHours(-2), now.AddHours(-1), 2, "trucban", now.AddHours(-1), "Đã thông báo phường");
        yield return new FakeAlert("a-seed-3", "danang-hoavang", "danang", "zone-alarm-I", "minor", "resolved", 1.05, now.AddHours(-6), now.AddHours(-3), 3, "trucban", now.AddHours(-5), "Nước đã rút");
    }
}
