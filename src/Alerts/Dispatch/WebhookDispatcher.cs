using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// POSTs each alert version (and escalation notice) to every configured webhook: JSON body, an
/// <c>Idempotency-Key</c> header (same on every retry), <c>X-Resilience-Timestamp: &lt;Unix seconds of this
/// attempt&gt;</c> and <c>X-Resilience-Signature: sha256=&lt;hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;"&gt;</c>, so a
/// receiver can refuse a replayed request (a timestamp too old) as well as a forged one. 2xx is delivered, 409 is taken as "already have it"; other 4xx except
/// 408/425/429 are permanent (dead letter); everything else is retried.
/// </summary>
internal sealed class WebhookDispatcher : OutboxWorker, IDisposable
{
    private readonly HttpClient _http;
    private readonly WebhookOptions[] _webhooks;
    private readonly string[] _channels;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the dispatcher.</summary>
    public WebhookDispatcher(AlertStore store, OutboxSignal signal, IOptions<AlertsOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
        : base(store, signal, options?.Value.Dispatch ?? throw new ArgumentNullException(nameof(options)), time, logger)
    {
        _webhooks = [.. options.Value.Webhooks];
        _channels = new string[_webhooks.Length];
        for (int i = 0; i < _webhooks.Length; i++)
        {
            _channels[i] = AlertService.WebhookChannel(_webhooks[i].Url);
        }

        _timeout = options.Value.Dispatch.RequestTimeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = _timeout,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Resilience-Alerts", "1.0"));
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Channels => _channels;

    /// <summary>The timestamp header's name.</summary>
    public const string TimestampHeader = "X-Resilience-Timestamp";

    /// <summary>The signature header's name.</summary>
    public const string SignatureHeader = "X-Resilience-Signature";

    /// <summary>The signature header value of <paramref name="body"/> sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        byte[] signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// The receiver's check: the signature matches (compared in constant time) and the timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>. A reference for receivers and the tests.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long timestamp)
            || signatureHeader is null
            || timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > tolerance)
        {
            return false;
        }

        byte[] expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        byte[] actual = Encoding.ASCII.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <inheritdoc />
    protected override async Task<DeliveryResult> DeliverAsync(int channel, OutboxMessage message, CancellationToken cancellationToken)
    {
        WebhookOptions webhook = _webhooks[channel];
        byte[] body = Encoding.UTF8.GetBytes(message.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Idempotency-Key", message.IdempotencyKey);
        long timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Sign(webhook.Secret, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            int status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
            {
                return DeliveryResult.Success;
            }

            bool permanent = status is >= 400 and < 500 and not 408 and not 425 and not 429;
            return new DeliveryResult($"HTTP {status}", permanent);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult("timeout");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryResult(ex.Message);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
