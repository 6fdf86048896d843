using System.IO.Compression;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Storage;

namespace Resilience.Silo.Web;

/// <summary>
/// The residents' air-quality page (<c>/</c>), the emergency console (<c>/ops</c>) with its operator login, and
/// response compression. The silo host calls <see cref="AddWebPages"/> and <see cref="MapWebPages"/>.
/// </summary>
internal static class WebPagesExtensions
{
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string RevalidateCache = "no-cache";

    /// <summary>Registers options, operator cookie authentication, the <c>Operator</c> policy, antiforgery and compression.</summary>
    public static IHostApplicationBuilder AddWebPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<WebPagesOptions>().BindConfiguration(WebPagesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebPagesOptions>, WebPagesOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StaticAssetStore>();
        services.TryAddSingleton<OperatorLoginThrottle>();
        services.TryAddSingleton<IOperatorLoginThrottle>(sp => sp.GetRequiredService<OperatorLoginThrottle>());
        // Logouts and the data-protection key ring (cookies, antiforgery tokens) in the state database: shared by every
        // silo of a cluster (PostgreSQL), <DataDirectory>/web.db on one box.
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        string dataDirectory = builder.Configuration["Resilience:DataDirectory"] is { Length: > 0 } configured ? configured : "./data";
        services.TryAddSingleton(sp => new WebStateDatabase(
            StateDatabase.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, Path.Combine(dataDirectory, "web.db"))));
        services.TryAddSingleton<OperatorSessionRevocations>();
        services.AddDataProtection().SetApplicationName("resilience"); // one name: silos differ in content root, the default discriminator
        services.AddOptions<KeyManagementOptions>()
            .Configure<WebStateDatabase>((keys, database) => keys.XmlRepository = new StateXmlRepository(database.Database));
        services.AddHttpEdge();
        services.TryAddSingleton<OperatorLogin>();

        services.AddResponseCompression(options =>
        {
            // Secret-bearing answers (login form, /ops/session) opt out per response; see OperatorLogin.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

        services.AddAntiforgery(options =>
        {
            options.HeaderName = OperatorAuthorization.AntiforgeryHeaderName;
            options.Cookie.Name = OperatorAuthorization.AntiforgeryCookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<WebPagesOptions>>((cookie, web) =>
            {
                cookie.Cookie.Name = OperatorAuthorization.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(web.Value.SessionMinutes);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/ops/login";
                cookie.LogoutPath = "/ops/logout";
                cookie.AccessDeniedPath = "/ops/login";
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    // Server-side revocation: a signed-out (copied) cookie or one past the absolute limit is refused.
                    if (!await context.HttpContext.RequestServices.GetRequiredService<OperatorLogin>().IsSessionValidAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
                cookie.Events.OnRedirectToLogin = context => RejectApiOrRedirect(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => RejectApiOrRedirect(context, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorAuthorization.PolicyName, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(OperatorAuthorization.OperatorRole)
                .AddRequirements(new OperatorAntiforgeryRequirement()));
        services.AddSingleton<IAuthorizationHandler, OperatorAntiforgeryHandler>();
        return builder;
    }

    /// <summary>Adds response compression and maps <c>/</c>, <c>/ops</c>, <c>/ops/login</c>, <c>/ops/logout</c>, <c>/ops/session</c> and <c>/assets/…</c>.</summary>
    public static WebApplication MapWebPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseResponseCompression(); // UseHttpEdge runs before everything, through a startup filter (AddHttpEdge)
        StaticAssetStore store = app.Services.GetRequiredService<StaticAssetStore>();
        OperatorLogin login = app.Services.GetRequiredService<OperatorLogin>();

        app.MapGet("/", context => WritePageAsync(context, store, "index.html", RevalidateCache)).AllowAnonymous();
        app.MapGet("/ops", context => WritePageAsync(context, store, "ops.html", "no-store, private"))
            .RequireAuthorization(OperatorAuthorization.PolicyName);
        app.MapGet("/ops/login", login.ShowFormAsync).AllowAnonymous();
        app.MapPost("/ops/login", login.SignInAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/ops/logout", login.SignOutAsync).RequireAuthorization(OperatorAuthorization.PolicyName).DisableAntiforgery();
        app.MapGet("/ops/session", login.Session).RequireAuthorization(OperatorAuthorization.PolicyName);
        app.MapMethods("/assets/{*path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string path) =>
        {
            if (!store.TryGet("assets/" + path, out StaticAsset asset))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            bool versioned = string.Equals(context.Request.Query["v"], asset.Version, StringComparison.Ordinal);
            return StaticAssetStore.WriteAsync(context, asset, versioned ? ImmutableCache : RevalidateCache);
        }).AllowAnonymous();
        return app;
    }

    private static Task WritePageAsync(HttpContext context, StaticAssetStore store, string name, string cacheControl)
    {
        if (!store.TryGet(name, out StaticAsset page))
        {
            throw new InvalidOperationException($"{name} is not embedded in the silo.");
        }

        // The security headers (CSP, nosniff, frame and referrer policy) come from UseHttpEdge on every response.
        return StaticAssetStore.WriteAsync(context, page, cacheControl);
    }

    private static Task RejectApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        // API callers (the console's fetches, scripts) get a status code; people get the login page.
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/ops/session", StringComparison.OrdinalIgnoreCase)
            || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
