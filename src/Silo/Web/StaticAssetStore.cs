using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Resilience.Silo.Web;

/// <summary>
/// The pages and assets of src/Silo/wwwroot, embedded in the assembly so the silo serves them from any content root.
/// HTML files have their <c>/assets/…</c> references rewritten to <c>?v=hash</c> URLs, so assets can be cached as immutable
/// while the pages themselves are revalidated by ETag.
/// </summary>
internal sealed class StaticAssetStore
{
    private const string ResourcePrefix = "wwwroot/";
    private readonly Dictionary<string, StaticAsset> _assets = new(StringComparer.Ordinal);

    public StaticAssetStore()
        : this(typeof(StaticAssetStore).Assembly)
    {
    }

    internal StaticAssetStore(Assembly assembly)
    {
        var raw = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            string normalized = resource.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            raw[normalized[ResourcePrefix.Length..]] = copy.ToArray();
        }

        // Assets first, so the pages can reference their versions.
        foreach ((string name, byte[] content) in raw)
        {
            if (!name.EndsWith(".html", StringComparison.Ordinal))
            {
                _assets[name] = new StaticAsset(name, content, ContentTypeOf(name), VersionOf(content));
            }
        }

        foreach ((string name, byte[] content) in raw)
        {
            if (name.EndsWith(".html", StringComparison.Ordinal))
            {
                string html = Encoding.UTF8.GetString(content);
                foreach (StaticAsset asset in _assets.Values)
                {
                    html = html.Replace("\"/" + asset.Name + "\"", "\"/" + asset.Name + "?v=" + asset.Version + "\"", StringComparison.Ordinal);
                }

                byte[] rewritten = Encoding.UTF8.GetBytes(html);
                _assets[name] = new StaticAsset(name, rewritten, ContentTypeOf(name), VersionOf(rewritten));
            }
        }
    }

    /// <summary>Every embedded file, by its path under wwwroot.</summary>
    public IReadOnlyDictionary<string, StaticAsset> Assets => _assets;

    public bool TryGet(string name, out StaticAsset asset) => _assets.TryGetValue(name, out asset!);

    /// <summary>Writes <paramref name="asset"/> with an ETag (answering 304 to a matching If-None-Match) and <paramref name="cacheControl"/>.</summary>
    public static Task WriteAsync(HttpContext context, StaticAsset asset, string cacheControl)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(asset);
        HttpResponse response = context.Response;
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = asset.ETag;
        response.Headers.XContentTypeOptions = "nosniff";
        string? ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch is not null && ifNoneMatch.Contains(asset.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    private static string VersionOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 6));

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}
