using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// A real Kestrel host on a free loopback port with only the web pages module (<c>AddWebPages</c>/<c>MapWebPages</c>),
/// for the login tests that need a host of their own (lockout settings, a fresh throttle). The pages against real data
/// run on the silo itself (<see cref="SiloWithSimulator"/>, <see cref="InProcessSilo"/>).
/// </summary>
internal sealed partial class WebTestHost : IAsyncDisposable
{
    public const string OperatorName = "trucban";
    public const string OperatorPassword = "Mật khẩu trực ban 2026!";

    // Minimum iterations keep the suite quick; production hashes use OperatorPasswordHasher.DefaultIterations.
    private static readonly string s_operatorHash = OperatorPasswordHasher.Hash(OperatorPassword, OperatorPasswordHasher.MinimumIterations);

    private readonly WebApplication _app;
    private readonly TempDirectory _root;

    private WebTestHost(WebApplication app, TempDirectory root, Uri url)
    {
        _app = app;
        _root = root;
        Url = url;
    }

    /// <summary>A POST endpoint behind the <c>Operator</c> policy, to test the policy itself; answers 204.</summary>
    public const string OperatorProbePath = "/test/operator-probe";

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebTestHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var root = new TempDirectory("web");
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = root.Path,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:DataDirectory"] = root.Path,
            ["Resilience:Web:Operators:0:Username"] = OperatorName,
            ["Resilience:Web:Operators:0:PasswordHash"] = s_operatorHash,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        services?.Invoke(builder.Services);
        builder.AddWebPages();
        WebApplication app = builder.Build();
        app.Urls.Clear();
        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        app.Urls.Add(url.ToString().TrimEnd('/'));
        app.MapWebPages();
        // Tests the policy, not an API: the real alert commands get the same policy on feat/rules.
        app.MapPost(OperatorProbePath, () => Results.NoContent()).RequireAuthorization(OperatorAuthorization.PolicyName);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new WebTestHost(app, root, url);
    }

    /// <summary>An HTTP client with its own cookie jar, no redirects followed and no automatic decompression.</summary>
    public HttpClient CreateClient(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Signs <paramref name="client"/> in through the real login form; returns the POST's response.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string password)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string form = await client.GetStringAsync(new Uri("/ops/login", UriKind.Relative), ct);
        return await PostLoginAsync(client, form, username, password);
    }

    /// <summary>
    /// A POST to <paramref name="path"/> for the signed-in <paramref name="client"/>, carrying the antiforgery header
    /// its <c>/ops/session</c> gives (as the console sends it).
    /// </summary>
    public static async Task<HttpRequestMessage> OperatorPostAsync(HttpClient client, string path, HttpContent? content = null)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using JsonDocument session = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ops/session", UriKind.Relative), ct));
        var post = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        post.Headers.Add(session.RootElement.GetProperty("headerName").GetString()!, session.RootElement.GetProperty("antiforgeryToken").GetString());
        return post;
    }

    /// <summary>Posts the login <paramref name="form"/> (fetched before) with <paramref name="username"/> and <paramref name="password"/>.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string form, string username, string password)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Match token = TokenField().Match(form);
        token.Success.Should().BeTrue("the login form carries an antiforgery token");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["username"] = username,
            ["password"] = password,
        });
        return await client.PostAsync(new Uri("/ops/login", UriKind.Relative), body, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _root.Dispose();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();
}
