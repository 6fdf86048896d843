using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Resilience.Silo.Web;

namespace Resilience.IntegrationTests.Web;

/// <summary>The operator login, the <c>Operator</c> policy and the pages' HTTP behaviour on a real Kestrel port.</summary>
[Trait("Category", "Integration")]
public sealed class OperatorLoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ops_Anonymous_RedirectsToLogin()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);

        using HttpResponseMessage response = await client.GetAsync(new Uri("/ops", UriKind.Relative), Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/ops/login");
    }

    [Fact]
    public async Task Login_RightPassword_SetsHttpOnlyStrictCookieAndOpensTheConsole()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);

        using HttpResponseMessage login = await WebTestHost.LoginAsync(client, WebTestHost.OperatorName.ToUpperInvariant(), WebTestHost.OperatorPassword);

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.Location!.ToString().Should().Be("/ops");
        string cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(OperatorAuthorization.CookieName + "=", StringComparison.Ordinal));
        cookie.Should().Contain("httponly").And.Contain("samesite=strict");
        using HttpResponseMessage ops = await client.GetAsync(new Uri("/ops", UriKind.Relative), Ct);
        ops.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ops.Content.ReadAsStringAsync(Ct)).Should().Contain("Bàn điều hành khẩn cấp");
        ops.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task Login_WrongPassword_Is401AndNoCookie()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out CookieContainer cookies);

        using HttpResponseMessage login = await WebTestHost.LoginAsync(client, WebTestHost.OperatorName, "wrong");

        login.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await login.Content.ReadAsStringAsync(Ct)).Should().Contain("Wrong username or password");
        cookies.GetCookies(host.Url).Select(c => c.Name).Should().NotContain(OperatorAuthorization.CookieName);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_IsRejected()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = WebTestHost.OperatorName, ["password"] = WebTestHost.OperatorPassword });

        using HttpResponseMessage login = await client.PostAsync(new Uri("/ops/login", UriKind.Relative), body, Ct);

        login.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OperatorPolicy_Post_NeedsCookieAndAntiforgeryHeader()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);
        var ack = new Uri(WebTestHost.OperatorProbePath, UriKind.Relative);

        using (HttpResponseMessage anonymous = await client.PostAsJsonAsync(ack, new { by = "x", note = "n" }, Ct))
        {
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await WebTestHost.LoginAsync(client, WebTestHost.OperatorName, WebTestHost.OperatorPassword)).Dispose();
        using (HttpResponseMessage noToken = await client.PostAsJsonAsync(ack, new { by = "x", note = "n" }, Ct))
        {
            noToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using JsonDocument session = JsonDocument.Parse(await client.GetStringAsync(new Uri("/ops/session", UriKind.Relative), Ct));
        session.RootElement.GetProperty("username").GetString().Should().Be(WebTestHost.OperatorName);
        using var request = new HttpRequestMessage(HttpMethod.Post, ack) { Content = JsonContent.Create(new { by = WebTestHost.OperatorName, note = "đã cử đội" }) };
        request.Headers.Add(session.RootElement.GetProperty("headerName").GetString()!, session.RootElement.GetProperty("antiforgeryToken").GetString());
        using HttpResponseMessage ok = await client.SendAsync(request, Ct);

        ok.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Pages_CompressedVersionedAndRevalidated()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using HttpResponseMessage page = await client.SendAsync(request, Ct);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentEncoding.Should().Equal("br");
        page.Headers.CacheControl!.NoCache.Should().BeTrue();
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
        using HttpResponseMessage again = await SendWithEtagAsync(client, "/", page.Headers.ETag!.Tag);
        again.StatusCode.Should().Be(HttpStatusCode.NotModified);

        StaticAssetStore store = new();
        store.TryGet("assets/residents.js", out StaticAsset script).Should().BeTrue();
        string html = System.Text.Encoding.UTF8.GetString(store.Assets["index.html"].Content);
        html.Should().Contain("/assets/residents.js?v=" + script.Version);
        using HttpResponseMessage asset = await client.GetAsync(new Uri("/assets/residents.js?v=" + script.Version, UriKind.Relative), Ct);
        asset.Headers.CacheControl!.ToString().Should().Contain("immutable");
        asset.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
    }

    private static async Task<HttpResponseMessage> SendWithEtagAsync(HttpClient client, string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.IfNoneMatch.ParseAdd(etag);
        return await client.SendAsync(request, Ct);
    }
}
