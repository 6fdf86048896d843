using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>
/// The HTTP edge: Kestrel limits, forwarded headers from configured proxies only, and security headers on every
/// response (docs/architecture.md, Security → HTTP edge and data).
/// </summary>
internal static class HttpEdgeExtensions
{
    /// <summary>Same-origin only; no inline script or style, so an injected alert text cannot run.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Registers the limits and the forwarded-headers settings.</summary>
    public static IServiceCollection AddHttpEdge(this IServiceCollection services)
    {
        // First in the pipeline, before the routing, authentication and authorization WebApplication adds: a 401 or a
        // redirect from the authorization middleware carries the headers too, and authentication sees the real client.
        services.AddTransient<IStartupFilter, HttpEdgeStartupFilter>();
        services.AddOptions<WebLimitsOptions>().BindConfiguration(WebLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebLimitsOptions>>((kestrel, limits) => Apply(kestrel.Limits, limits.Value));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebPagesOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear(); // the framework trusts loopback by default; here only what is configured
            forwarded.KnownIPNetworks.Clear();
            foreach (string proxy in web.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return services;
    }

    /// <summary>Adds forwarded headers (when proxies are configured) and the security headers, first in the pipeline.</summary>
    public static IApplicationBuilder UseHttpEdge(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetRequiredService<IOptions<WebPagesOptions>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.Use(static (context, next) =>
        {
            AddSecurityHeaders(context);
            return next(context);
        });
        return app;
    }

    /// <summary>Copies <paramref name="options"/> into Kestrel's limits.</summary>
    public static void Apply(KestrelServerLimits limits, WebLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = Math.Min(100, options.MaxConcurrentConnections);
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalBytes;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = options.MaxRequestLineBytes;
        limits.MaxRequestBufferSize = Math.Max(1024 * 1024, options.MaxRequestHeadersTotalBytes + options.MaxRequestLineBytes);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(options.RequestHeadersTimeoutSeconds);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds);
    }

    private sealed class HttpEdgeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseHttpEdge();
            next(app);
        };
    }

    private static void AddSecurityHeaders(HttpContext context)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
    }
}
