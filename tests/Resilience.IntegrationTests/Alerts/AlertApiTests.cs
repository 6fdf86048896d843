using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>The alerts HTTP API, CAP/Atom endpoints and the SSE stream over real HTTP.</summary>
[Trait("Category", "Integration")]
public sealed class AlertApiTests
{
    private static readonly XNamespace s_cap = "urn:oasis:names:tc:emergency:cap:1.2";
    private static readonly XNamespace s_atom = "http://www.w3.org/2005/Atom";

    private static AlertSubject Gauge(string id, string province = "danang") => new() { Id = id, Province = province, Name = id, Lat = 16.0, Lon = 108.2 };

    [Fact]
    public async Task AckAndResolve_Anonymous_Get401AndChangeNothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("alerts-anon");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        await host.FeedLevelsAsync(Gauge("dn-camle-wl"), TimeProvider.System.GetUtcNow().AddMinutes(-10), [], 2.1, 2.2);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using JsonDocument active = JsonDocument.Parse(await anonymous.GetStringAsync("/api/alerts?state=active", ct));
        long id = active.RootElement.EnumerateArray().Single().GetProperty("id").GetInt64();

        (await anonymous.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "intruder" }, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { by = "intruder" }, ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using JsonDocument history = JsonDocument.Parse(await anonymous.GetStringAsync($"/api/alerts/{id}/history", ct));
        history.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().Equal("raised");
    }

    [Fact]
    public async Task Api_ListAckResolveHistoryCapAndFeed_FollowTheDocumentedShapes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("alerts-api");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        using HttpClient http = host.CreateOperatorClient();
        var states = new Dictionary<string, RuleState[]>();
        DateTimeOffset t = TimeProvider.System.GetUtcNow().AddMinutes(-10);
        t = await host.FeedLevelsAsync(Gauge("dn-camle-wl"), t, states, 2.1, 2.2);
        await host.FeedLevelsAsync(Gauge("hn-longbien-wl", "hanoi"), t, states, 1.1, 1.2);

        using JsonDocument active = JsonDocument.Parse(await http.GetStringAsync("/api/alerts?state=active&province=danang", ct));
        JsonElement alert = active.RootElement.EnumerateArray().Single();
        alert.GetProperty("subject").GetString().Should().Be("dn-camle-wl");
        alert.GetProperty("severity").GetString().Should().Be("warning");
        alert.GetProperty("state").GetString().Should().Be("raised");
        alert.GetProperty("version").GetInt32().Should().Be(1);
        foreach (string field in new[] { "id", "province", "rule", "value", "raisedAt", "updatedAt", "acknowledgedBy", "acknowledgedAt", "note" })
        {
            alert.TryGetProperty(field, out _).Should().BeTrue(field);
        }

        long id = alert.GetProperty("id").GetInt64();
        using (var broken = new StringContent("{\"note\": ", System.Text.Encoding.UTF8, "application/json"))
        {
            (await http.PostAsync(new Uri($"/api/alerts/{id}/ack", UriKind.Relative), broken, ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "malformed JSON is refused");
        }

        using HttpResponseMessage ack = await http.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "officer.minh", note = "đã nhận" }, ct);
        ack.StatusCode.Should().Be(HttpStatusCode.OK);
        using JsonDocument acked = JsonDocument.Parse(await ack.Content.ReadAsStringAsync(ct));
        acked.RootElement.GetProperty("acknowledgedBy").GetString().Should().Be("officer.test", "the logged-in operator acts, whatever name the body gives");
        acked.RootElement.GetProperty("state").GetString().Should().Be("acknowledged");
        (await http.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { by = "officer.minh", note = "nước rút" }, ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "late" }, ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await http.PostAsJsonAsync("/api/alerts/999999/ack", new { by = "x" }, ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using JsonDocument history = JsonDocument.Parse(await http.GetStringAsync($"/api/alerts/{id}/history", ct));
        history.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().Equal("raised", "acknowledged", "resolved");
        using JsonDocument all = JsonDocument.Parse(await http.GetStringAsync("/api/alerts?state=all", ct));
        all.RootElement.GetArrayLength().Should().Be(2);
        (await http.GetAsync("/api/alerts?state=bogus", ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using HttpResponseMessage cap = await http.GetAsync($"/alerts/{id}.cap", ct);
        cap.Content.Headers.ContentType!.MediaType.Should().Be("application/cap+xml");
        XElement latest = XDocument.Parse(await cap.Content.ReadAsStringAsync(ct)).Root!;
        latest.Element(s_cap + "msgType")!.Value.Should().Be("Update");
        latest.Element(s_cap + "info")!.Element(s_cap + "responseType")!.Value.Should().Be("AllClear");
        XElement first = XDocument.Parse(await http.GetStringAsync($"/alerts/{id}.cap?version=1", ct)).Root!;
        first.Element(s_cap + "msgType")!.Value.Should().Be("Alert");
        (await http.GetAsync($"/alerts/{id}.cap?version=9", ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        XElement feed = XDocument.Parse(await http.GetStringAsync("/alerts/feed.atom", ct)).Root!;
        List<string> links = feed.Elements(s_atom + "entry")
            .Select(e => e.Elements(s_atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value).ToList();
        links.Should().HaveCount(2);
        foreach (string link in links)
        {
            using HttpResponseMessage document = await http.GetAsync(new Uri(link), ct);
            document.StatusCode.Should().Be(HttpStatusCode.OK);
            XDocument.Parse(await document.Content.ReadAsStringAsync(ct)).Root!.Name.Should().Be(s_cap + "alert");
        }
    }

    [Fact]
    public async Task Stream_LiveAndResumeWithLastEventId_DeliversEveryChangeOnce()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("alerts-sse");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var states = new Dictionary<string, RuleState[]>();
        DateTimeOffset t = TimeProvider.System.GetUtcNow().AddMinutes(-10);

        string lastId;
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream"))
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            t = await host.FeedLevelsAsync(Gauge("g1"), t, states, 1.1, 1.2);
            List<SseEvent> live = await ReadEventsAsync(reader, 1, ct);
            live[0].Name.Should().Be("alert");
            using JsonDocument json = JsonDocument.Parse(live[0].Data);
            json.RootElement.GetProperty("subject").GetString().Should().Be("g1");
            json.RootElement.GetProperty("state").GetString().Should().Be("raised");
            lastId = live[0].Id;
        }

        // While disconnected: g1 escalates, g2 raises. Resume from the last id seen.
        t = await host.FeedLevelsAsync(Gauge("g1"), t, states, 2.1, 2.2);
        await host.FeedLevelsAsync(Gauge("g2"), t, states, 1.1, 1.2);
        using var resume = new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream");
        resume.Headers.Add("Last-Event-ID", lastId);
        using HttpResponseMessage resumed = await http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, ct);
        using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(ct));
        List<SseEvent> replayed = await ReadEventsAsync(resumedReader, 2, ct);

        replayed.Select(e => long.Parse(e.Id)).Should().BeInAscendingOrder().And.OnlyContain(id => id > long.Parse(lastId));
        replayed.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("state").GetString()).Should().Equal("escalated", "raised");
    }

    internal static async Task<List<SseEvent>> ReadEventsAsync(StreamReader reader, int count, CancellationToken ct)
    {
        var events = new List<SseEvent>();
        string? id = null;
        string? name = null;
        string? data = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (events.Count < count)
        {
            string? line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new SseEvent(id!, name!, data));
                }

                id = name = data = null;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return events;
    }

    internal sealed record SseEvent(string Id, string Name, string Data);
}
