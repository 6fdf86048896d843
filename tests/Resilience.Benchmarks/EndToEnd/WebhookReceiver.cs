using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Resilience.TestKit;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>A real HTTP webhook receiver (Kestrel on a free loopback port) that timestamps every delivery.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Subject, string Rule, string State, long At)> _received =
        Channel.CreateBounded<(string, string, string, long)>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/hook");
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            long at = Stopwatch.GetTimestamp();
            using JsonDocument doc = await JsonDocument.ParseAsync(request.Body);
            if (TryGet(doc.RootElement, "alert", out JsonElement alert))
            {
                receiver._received.Writer.TryWrite((Text(alert, "subject"), Text(alert, "rule"), Text(alert, "state"), at));
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public void Drain()
    {
        while (_received.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Waits for the next delivery for (subject, rule) in <paramref name="state"/>; its arrival timestamp, or null.</summary>
    public async Task<long?> WaitForAsync(string subject, string rule, string state, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                (string s, string r, string st, long at) = await _received.Reader.ReadAsync(cts.Token);
                if (s == subject && r == rule && string.Equals(st, state, StringComparison.OrdinalIgnoreCase))
                {
                    return at;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"e2e: no '{state}' webhook for {subject}/{rule} within {timeout.TotalSeconds} s");
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Text(JsonElement e, string name) =>
        TryGet(e, name, out JsonElement v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : v.ToString()) : string.Empty;
}
