using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Silo.Web;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// The audit's attacks on the operator login and the HTTP edge, replayed on a real Kestrel port: each must now be
/// refused or bounded. Client addresses are told apart through <c>X-Forwarded-For</c> from a configured proxy (the
/// loopback the tests connect from), exactly as behind a production reverse proxy.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HttpEdgeTests
{
    private const string Attacker = "203.0.113.66";
    private const string OfficerDesk = "198.51.100.7";
    private const string NewDesk = "198.51.100.8";

    private static readonly Dictionary<string, string?> s_behindProxy = new()
    {
        ["Resilience:Web:KnownProxies:0"] = "127.0.0.1",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The throttle on a clock that never moves: every delay it hands out stays in force, so no test depends on timing.</summary>
    private static void FrozenThrottle(IServiceCollection services) =>
        services.AddSingleton(sp => new OperatorLoginThrottle(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebPagesOptions>>(), new Resilience.TestKit.ManualTimeProvider(DateTimeOffset.UtcNow)));

    [Fact]
    public async Task UnknownUser_VerifiesAgainstADummyHashAtTheConfiguredCost()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();

        OperatorLogin login = host.Services.GetRequiredService<OperatorLogin>();

        // The configured operator's hash has MinimumIterations (test speed); a dummy at a different cost (the old
        // code used a fixed 100,000 against production's 600,000) answers unknown names measurably faster.
        login.DummyIterations.Should().Be(OperatorPasswordHasher.MinimumIterations);
        login.DummyIterations.Should().Be(OperatorPasswordHasher.IterationsOf(OperatorPasswordHasher.Hash("x", OperatorPasswordHasher.MinimumIterations)));
    }

    [Fact]
    public async Task UnknownUser_WithProductionCost_DummyHasTheSameCost()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Resilience:Web:Operators:0:Username"] = "duty",
            ["Resilience:Web:Operators:0:PasswordHash"] = OperatorPasswordHasher.Hash("p", 250_000),
            ["Resilience:Web:Operators:1:Username"] = "backup",
            ["Resilience:Web:Operators:1:PasswordHash"] = OperatorPasswordHasher.Hash("p", OperatorPasswordHasher.DefaultIterations),
        };
        await using WebTestHost host = await WebTestHost.StartAsync(settings);

        host.Services.GetRequiredService<OperatorLogin>().DummyIterations.Should().Be(OperatorPasswordHasher.DefaultIterations, "the costliest configured hash sets the dummy's cost");
    }

    [Fact]
    public async Task GuessingFromOneAddress_GetsGrowingDelay_AndTheDutyOfficerStillSignsIn()
    {
        await using WebTestHost host = await WebTestHost.StartAsync(s_behindProxy, FrozenThrottle);
        using HttpClient officer = host.CreateClient(out _);
        officer.DefaultRequestHeaders.Add("X-Forwarded-For", OfficerDesk);
        (await WebTestHost.LoginAsync(officer, WebTestHost.OperatorName, WebTestHost.OperatorPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using HttpClient attacker = host.CreateClient(out _);
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", Attacker);
        var statuses = new List<HttpStatusCode>();
        var retryAfter = new List<int>();
        for (int i = 0; i < 12; i++)
        {
            using HttpResponseMessage guess = await WebTestHost.LoginAsync(attacker, WebTestHost.OperatorName, "guess" + i.ToString(CultureInfo.InvariantCulture));
            statuses.Add(guess.StatusCode);
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter.Add((int)guess.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
            }
        }

        statuses.Take(5).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized, "five free attempts");
        statuses.Skip(5).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests, "then the attacker's address waits, unverified");
        retryAfter.Should().OnlyContain(s => s == 1, "the first delay is 1 s (it doubles with each further failure)");

        // From a new desk the name's delay applies, but it is capped short (MaxUserDelaySeconds, 30 s): never a lockout.
        using HttpClient newDesk = host.CreateClient(out _);
        newDesk.DefaultRequestHeaders.Add("X-Forwarded-For", NewDesk);
        using HttpResponseMessage fromNewDesk = await WebTestHost.LoginAsync(newDesk, WebTestHost.OperatorName, WebTestHost.OperatorPassword);
        fromNewDesk.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        fromNewDesk.Headers.RetryAfter!.Delta!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(30));

        // The officer, from the desk they signed in from before, is not held back by the attack on their name.
        using HttpClient officerAgain = host.CreateClient(out _);
        officerAgain.DefaultRequestHeaders.Add("X-Forwarded-For", OfficerDesk);
        using HttpResponseMessage signIn = await WebTestHost.LoginAsync(officerAgain, WebTestHost.OperatorName, WebTestHost.OperatorPassword);
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect, "no lockout: an attacker cannot lock the duty officer out");
    }

    [Fact]
    public async Task UnknownAndKnownNames_AreThrottledAlike()
    {
        await using WebTestHost host = await WebTestHost.StartAsync(s_behindProxy, FrozenThrottle);
        var known = new List<HttpStatusCode>();
        var unknown = new List<HttpStatusCode>();
        for (int i = 0; i < 7; i++)
        {
            // A fresh address per try: only the per-name count can tell the names apart.
            using HttpClient a = host.CreateClient(out _);
            a.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2." + (10 + i).ToString(CultureInfo.InvariantCulture));
            using HttpResponseMessage k = await WebTestHost.LoginAsync(a, WebTestHost.OperatorName, "wrong");
            known.Add(k.StatusCode);
            using HttpClient b = host.CreateClient(out _);
            b.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2." + (100 + i).ToString(CultureInfo.InvariantCulture));
            using HttpResponseMessage u = await WebTestHost.LoginAsync(b, "nobody-here", "wrong");
            unknown.Add(u.StatusCode);
        }

        unknown.Should().Equal(known, "whether a name exists must not show in the answers");
        known.Should().Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)));
    }

    [Fact]
    public async Task ForwardedFor_WithoutAConfiguredProxy_IsIgnored()
    {
        await using WebTestHost host = await WebTestHost.StartAsync(services: FrozenThrottle);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 8; i++)
        {
            // The attacker rotates a spoofed X-Forwarded-For to dodge the per-address count: it is not believed.
            using HttpClient attacker = host.CreateClient(out _);
            attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "10.9.8." + i.ToString(CultureInfo.InvariantCulture));
            attacker.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            using HttpResponseMessage guess = await WebTestHost.LoginAsync(attacker, "someone" + i.ToString(CultureInfo.InvariantCulture), "guess");
            statuses.Add(guess.StatusCode);
            guess.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? cookies);
            (cookies ?? []).Should().NotContain(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase), "X-Forwarded-Proto from an unknown proxy is ignored");
        }

        statuses.Should().Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)),
            "every try counts against the one real address");
    }

    [Fact]
    public async Task Cookies_BehindATlsProxy_AreSecure()
    {
        await using WebTestHost host = await WebTestHost.StartAsync(s_behindProxy);
        using HttpClient client = host.CreateClient(out _);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", OfficerDesk);
        string form = await client.GetStringAsync(new Uri("/ops/login", UriKind.Relative), Ct);

        // The test talks plain HTTP to Kestrel (its cookie jar would not send Secure cookies back), so only the login
        // POST arrives "through the TLS proxy".
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using HttpResponseMessage login = await WebTestHost.PostLoginAsync(client, form, WebTestHost.OperatorName, WebTestHost.OperatorPassword);

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        string cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(OperatorAuthorization.CookieName + "=", StringComparison.Ordinal));
        cookie.Should().Contain("secure").And.Contain("httponly").And.Contain("samesite=strict");
        login.Headers.GetValues("Strict-Transport-Security").Single().Should().Contain("max-age=");
    }

    [Fact]
    public async Task Logout_ACopiedCookie_NoLongerWorks()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out CookieContainer cookies);
        (await WebTestHost.LoginAsync(client, WebTestHost.OperatorName, WebTestHost.OperatorPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        string copied = cookies.GetCookies(host.Url)[OperatorAuthorization.CookieName]!.Value;
        using HttpClient thief = host.CreateClient(out CookieContainer thiefJar);
        thiefJar.Add(host.Url, new Cookie(OperatorAuthorization.CookieName, copied));
        (await thief.GetAsync(new Uri("/ops/session", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "the copy works while the session lives");

        using HttpRequestMessage logout = await WebTestHost.OperatorPostAsync(client, "/ops/logout");
        (await client.SendAsync(logout, Ct)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using HttpClient replay = host.CreateClient(out CookieContainer replayJar);
        replayJar.Add(host.Url, new Cookie(OperatorAuthorization.CookieName, copied));
        (await replay.GetAsync(new Uri("/ops/session", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "logout revoked the session on the server");
        using HttpResponseMessage page = await replay.GetAsync(new Uri("/ops", UriKind.Relative), Ct);
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().Should().Contain("/ops/login");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ops/login")]
    [InlineData("/ops/session")]
    [InlineData("/assets/residents.js")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("same-origin");
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("frame-ancestors 'none'").And.Contain("script-src 'self'").And.NotContain("unsafe-inline");
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse("plain HTTP gets no HSTS");
    }

    [Fact]
    public async Task Kestrel_OversizedHeadersAndBody_AreRefused()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        using HttpClient client = host.CreateClient(out _);

        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        bigHeaders.Headers.Add("X-Junk", new string('a', 40 * 1024));
        using HttpResponseMessage headers = await client.SendAsync(bigHeaders, Ct);
        headers.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge);

        using var body = new ByteArrayContent(new byte[80 * 1024]);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using HttpResponseMessage post = await client.PostAsync(new Uri("/ops/login", UriKind.Relative), body, Ct);
        ((int)post.StatusCode).Should().BeOneOf(400, 413);

        var limits = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value.Limits;
        limits.MaxConcurrentConnections.Should().Be(new WebLimitsOptions().MaxConcurrentConnections);
        limits.MaxRequestBodySize.Should().Be(64 * 1024);
        limits.RequestHeadersTimeout.Should().Be(TimeSpan.FromSeconds(15));
    }
}
