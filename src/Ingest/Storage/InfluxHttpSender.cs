using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Resilience.Ingest.Storage;

/// <summary>Posts line-protocol bodies to the 1.x <c>/write</c> or 2.x <c>/api/v2/write</c> endpoint and classifies the answer.</summary>
internal sealed class InfluxHttpSender : IDisposable
{
    private static readonly MediaTypeHeaderValue s_contentType = new("text/plain") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly bool _gzip;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<MemoryStream> _gzipBuffers = new();

    public InfluxHttpSender(InfluxOptions options, TimeProvider time)
    {
        _time = time;
        _gzip = options.Gzip;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConcurrency + 1,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        _writeUri = BuildWriteUri(options);
        if (!string.IsNullOrEmpty(options.Token))
        {
            _authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.Username) && options.ApiVersion == InfluxApiVersion.V1)
        {
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password));
            _authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    /// <summary>The write URL (without credentials).</summary>
    public Uri WriteUri => _writeUri;

    /// <summary>Builds the write URL from the options.</summary>
    public static Uri BuildWriteUri(InfluxOptions options)
    {
        string baseUrl = options.Url!.TrimEnd('/');
        var query = new StringBuilder();
        if (options.ApiVersion == InfluxApiVersion.V2)
        {
            query.Append(baseUrl).Append("/api/v2/write?org=").Append(Uri.EscapeDataString(options.Org ?? string.Empty))
                .Append("&bucket=").Append(Uri.EscapeDataString(options.Bucket ?? options.Database))
                .Append("&precision=").Append(LineProtocolEncoder.V2PrecisionName(options.Precision));
        }
        else
        {
            query.Append(baseUrl).Append("/write?db=").Append(Uri.EscapeDataString(options.Database))
                .Append("&precision=").Append(LineProtocolEncoder.V1PrecisionName(options.Precision));
            if (!string.IsNullOrEmpty(options.RetentionPolicy))
            {
                query.Append("&rp=").Append(Uri.EscapeDataString(options.RetentionPolicy));
            }
        }

        return new Uri(query.ToString());
    }

    /// <summary>Posts <paramref name="lines"/> once.</summary>
    public async Task<SendResult> PostAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        MemoryStream? gzipped = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri);
            if (_gzip)
            {
                gzipped = Compress(lines.Span);
                request.Content = new ByteArrayContent(gzipped.GetBuffer(), 0, (int)gzipped.Length);
                request.Content.Headers.ContentEncoding.Add("gzip");
            }
            else
            {
                request.Content = new ReadOnlyMemoryContent(lines);
            }

            request.Content.Headers.ContentType = s_contentType;
            request.Headers.Authorization = _authorization;
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            int code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendResult(SendStatus.Ok, code, null, null);
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string error = $"{code} {ExtractError(body)}";
            if (code is 408 or 429 or >= 500 or 401 or 403 or 404)
            {
                // 401/403/404 (bad credentials, missing database) are about the configuration, not the lines:
                // dead-lettering every line would lose data an operator can still save by fixing the setting.
                return new SendResult(SendStatus.Transient, code, error, RetryAfter(response));
            }

            return new SendResult(SendStatus.Rejected, code, error, null);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendStatus.Transient, 0, ex.Message, null);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Transient, 0, "timeout: " + ex.Message, null);
        }
        finally
        {
            if (gzipped is not null)
            {
                gzipped.SetLength(0);
                _gzipBuffers.Enqueue(gzipped);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static string ExtractError(string body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.String)
                {
                    return e.GetString() ?? body;
                }

                if (doc.RootElement.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String)
                {
                    return m.GetString() ?? body;
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }

    private MemoryStream Compress(ReadOnlySpan<byte> lines)
    {
        if (!_gzipBuffers.TryDequeue(out MemoryStream? buffer))
        {
            buffer = new MemoryStream(lines.Length / 4 + 1024);
        }

        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(lines);
        }

        return buffer;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        if (retry?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (retry?.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
