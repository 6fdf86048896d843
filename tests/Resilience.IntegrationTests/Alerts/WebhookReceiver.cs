using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Dispatch;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>A real webhook receiver: Kestrel on a fixed loopback port that can be started later, stopped and started again.</summary>
internal sealed class WebhookReceiver(int port, string secret, Func<ReceivedWebhook, int>? respond = null) : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = port;

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public async Task StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        WebApplication app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            byte[] body = buffer.ToArray();
            string signature = context.Request.Headers[WebhookDispatcher.SignatureHeader].ToString();
            string timestamp = context.Request.Headers[WebhookDispatcher.TimestampHeader].ToString();
            string key = context.Request.Headers["Idempotency-Key"].ToString();
            using JsonDocument json = JsonDocument.Parse(body);
            JsonElement alert = json.RootElement.GetProperty("alert");
            var webhook = new ReceivedWebhook(
                key,
                json.RootElement.GetProperty("type").GetString()!,
                alert.GetProperty("id").GetInt64(),
                alert.GetProperty("version").GetInt32(),
                Encoding.UTF8.GetString(body),
                WebhookDispatcher.Verify(secret, timestamp, signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Received.Enqueue(webhook);
            return Results.StatusCode(respond?.Invoke(webhook) ?? StatusCodes.Status200OK);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
