using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Resilience.Alerts.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>The audit's attacks on the public alert views, replayed over real HTTP.</summary>
[Trait("Category", "Integration")]
[Collection(AttackFiguresCollection.Name)]
public sealed class AlertEdgeTests
{
    private const string Officer = "officer.test";
    private const string Note = "Đã cử đội cứu hộ tới cầu Cẩm Lệ, gọi anh Minh 0905 123 456";
    private static readonly XNamespace s_atom = "http://www.w3.org/2005/Atom";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AlertSubject Gauge(string id) => new() { Id = id, Province = "danang", Name = id, Lat = 16.0, Lon = 108.2 };

    [Fact]
    public async Task AnonymousViews_CarryNoOperatorNamesOrNotes_TheConsoleKeepsThem()
    {
        using var data = new TempDirectory("alerts-redact");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        using HttpClient operatorClient = host.CreateOperatorClient();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var stream = new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream");
        using HttpResponseMessage live = await anonymous.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var liveReader = new StreamReader(await live.Content.ReadAsStreamAsync(Ct));
        await host.FeedLevelsAsync(Gauge("dn-camle-wl"), TimeProvider.System.GetUtcNow().AddMinutes(-10), [], 2.1, 2.2);
        using JsonDocument active = JsonDocument.Parse(await operatorClient.GetStringAsync("/api/alerts", Ct));
        long id = active.RootElement.EnumerateArray().Single().GetProperty("id").GetInt64();
        (await operatorClient.PostAsJsonAsync($"/api/alerts/{id}/ack", new { note = Note }, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        var anonymousBodies = new List<string>
        {
            await anonymous.GetStringAsync("/api/alerts", Ct),
            await anonymous.GetStringAsync($"/api/alerts/{id}", Ct),
            await anonymous.GetStringAsync($"/api/alerts/{id}/history", Ct),
            await anonymous.GetStringAsync("/alerts/feed.atom", Ct),
            await anonymous.GetStringAsync($"/alerts/{id}.cap", Ct),
        };
        List<AlertApiTests.SseEvent> events = await AlertApiTests.ReadEventsAsync(liveReader, 2, Ct);
        anonymousBodies.AddRange(events.Select(e => e.Data));
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream?lastEventId=0");
        using HttpResponseMessage replayed = await anonymous.SendAsync(replay, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var replayReader = new StreamReader(await replayed.Content.ReadAsStreamAsync(Ct));
        anonymousBodies.AddRange((await AlertApiTests.ReadEventsAsync(replayReader, 2, Ct)).Select(e => e.Data));

        anonymousBodies.Should().HaveCount(9);
        anonymousBodies.Should().OnlyContain(b => !b.Contains(Officer, StringComparison.Ordinal) && !b.Contains("0905", StringComparison.Ordinal));
        using JsonDocument publicView = JsonDocument.Parse(anonymousBodies[1]);
        publicView.RootElement.GetProperty("state").GetString().Should().Be("acknowledged", "the public still sees that someone acts");
        publicView.RootElement.GetProperty("acknowledgedBy").GetString().Should().Be("operator");

        using JsonDocument full = JsonDocument.Parse(await operatorClient.GetStringAsync($"/api/alerts/{id}", Ct));
        full.RootElement.GetProperty("acknowledgedBy").GetString().Should().Be(Officer);
        full.RootElement.GetProperty("note").GetString().Should().Be(Note);
        (await operatorClient.GetStringAsync($"/api/alerts/{id}/history", Ct)).Should().Contain("0905");
    }

    [Fact]
    public async Task CapAndAtomLinks_UseTheConfiguredBaseUrl_NeverTheHostHeader()
    {
        using var data = new TempDirectory("alerts-baseurl");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path, new Dictionary<string, string?> { ["Resilience:PublicBaseUrl"] = "https://ioc.danang.example/" });
        long id = await RaiseAsync(host);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var request = new HttpRequestMessage(HttpMethod.Get, "/alerts/feed.atom");
        request.Headers.Host = "evil.example";
        using HttpResponseMessage feed = await http.SendAsync(request, Ct);
        string atom = await feed.Content.ReadAsStringAsync(Ct);
        using var capRequest = new HttpRequestMessage(HttpMethod.Get, $"/alerts/{id}.cap");
        capRequest.Headers.Host = "evil.example";
        string cap = await (await http.SendAsync(capRequest, Ct)).Content.ReadAsStringAsync(Ct);

        atom.Should().NotContain("evil.example");
        cap.Should().NotContain("evil.example");
        XDocument.Parse(atom).Root!.Descendants(s_atom + "link").Select(l => l.Attribute("href")!.Value)
            .Should().NotBeEmpty().And.OnlyContain(href => href.StartsWith("https://ioc.danang.example/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CapAndAtomLinks_WithoutAConfiguredBaseUrl_UseTheListeningAddress()
    {
        using var data = new TempDirectory("alerts-baseurl-default");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        await RaiseAsync(host);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alerts/feed.atom");
        request.Headers.Host = "evil.example";

        string atom = await (await http.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);

        atom.Should().NotContain("evil.example").And.Contain(host.BaseAddress.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task Streams_AreCappedPerAddressAndInTotal()
    {
        using var data = new TempDirectory("alerts-sse-caps");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Stream:MaxClientsPerAddress"] = "2",
            ["Resilience:Alerts:Stream:MaxClients"] = "3",
        });
        var open = new List<(HttpClient Client, HttpResponseMessage Response)>();
        try
        {
            var statuses = new List<HttpStatusCode>();
            for (int i = 0; i < 3; i++)
            {
                var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
                statuses.Add(response.StatusCode);
                open.Add((client, response));
            }

            statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
            open[2].Response.Headers.RetryAfter.Should().NotBeNull();
            host.Services.GetRequiredService<Resilience.Alerts.Dispatch.AlertStreamHub>().Count.Should().Be(2);

            // Closing one frees its place.
            open[0].Response.Dispose();
            open[0].Client.Dispose();
            await Poll.UntilAsync(() => host.Services.GetRequiredService<Resilience.Alerts.Dispatch.AlertStreamHub>().Count == 1, "the closed stream to leave the hub");
            var again = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            HttpResponseMessage admitted = await again.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
            open.Add((again, admitted));
            admitted.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            foreach ((HttpClient client, HttpResponseMessage response) in open)
            {
                response.Dispose();
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// The audit's 2,000 anonymous SSE streams, from 250 addresses, against the shipped caps (500 streams, 8 per
    /// address): the rest get 429 and the memory held stays within the caps.
    /// </summary>
    [Fact]
    public async Task StreamFlood_TwoThousandStreamsFrom250Addresses_AreHeldToTheDefaultCaps()
    {
        const int Addresses = 250;
        const int PerAddress = 8;
        const int MaxClients = 500;
        using var data = new TempDirectory("alerts-sse-flood");
        await using AlertsHost host = await AlertsHost.StartAsync(data.Path);
        var hub = host.Services.GetRequiredService<Resilience.Alerts.Dispatch.AlertStreamHub>();
        MemoryFigure before = AttackFigures.TakeMemory();
        var clients = new List<HttpClient>(Addresses);
        var open = new List<HttpResponseMessage>(MaxClients);
        int accepted = 0;
        int refused = 0;
        try
        {
            for (int a = 0; a < Addresses; a++)
            {
                var from = new IPAddress([127, 0, 3, (byte)(1 + a)]);
                var handler = new SocketsHttpHandler
                {
                    ConnectCallback = async (context, ct) =>
                    {
                        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                        try
                        {
                            socket.Bind(new IPEndPoint(from, 0));
                            await socket.ConnectAsync(context.DnsEndPoint, ct);
                            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
                var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                clients.Add(client);
                for (int i = 0; i < PerAddress; i++)
                {
                    HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        accepted++;
                        open.Add(response);
                    }
                    else
                    {
                        response.StatusCode.Should().BeOneOf(HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable);
                        refused++;
                        response.Dispose();
                    }
                }
            }

            // One more from an address that already holds its 8: refused too.
            HttpResponseMessage ninth = await clients[0].SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
            ninth.StatusCode.Should().BeOneOf(HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable);
            ninth.Dispose();
            int held = hub.Count;
            MemoryFigure during = AttackFigures.TakeMemory();

            // Each held stream costs a Kestrel connection and a bounded 256-message channel on the server plus the
            // client's connection (both in this process): under 64 KiB together while no alert flows; refused
            // requests hold nothing. The audit's 2,000 accepted streams would be four times as many.
            const long HeapBound = MaxClients * 64L * 1024;
            AttackFigures.Report(
                $"SSE flood: {Addresses * PerAddress:N0} anonymous /api/alerts/stream requests from {Addresses} addresses",
                $"≤ MaxClients ({MaxClients}) streams, ≤ {PerAddress} per address, the rest 429 (address) / 503 (total); heap growth while held ≤ {MaxClients} × 64 KiB = {HeapBound / (1024 * 1024)} MiB",
                $"{accepted} accepted, {refused:N0} refused, hub holds {held}; {AttackFigures.Heap(before, during)}; {AttackFigures.WorkingSet(before, during)}");
            accepted.Should().Be(MaxClients);
            refused.Should().Be((Addresses * PerAddress) - MaxClients);
            held.Should().Be(MaxClients);
            (during.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        }
        finally
        {
            foreach (HttpResponseMessage response in open)
            {
                response.Dispose();
            }

            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<long> RaiseAsync(AlertsHost host)
    {
        await host.FeedLevelsAsync(Gauge("dn-camle-wl"), TimeProvider.System.GetUtcNow().AddMinutes(-10), [], 2.1, 2.2);
        IReadOnlyList<AlertRecord> open = await host.Alerts.ListAsync(new AlertQuery(), Ct);
        return open.Single().Id;
    }
}
