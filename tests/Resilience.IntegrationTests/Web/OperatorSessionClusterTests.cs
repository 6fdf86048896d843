using System.Diagnostics;
using System.Net;
using Resilience.IntegrationTests.Storage;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// Issue 9, operator sessions in a cluster: two web hosts (two silos' login and cookie handling) over one real
/// PostgreSQL (and, the same code, two hosts on one SQLite data directory). A cookie issued by silo A is read by silo B (one data-protection key ring in the shared database), and
/// once the operator signs out on A, B refuses the copied cookie within about a second (shared revocations).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OperatorSessionClusterTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")] // two hosts on one data directory: the same code over web.db
    public async Task Logout_OnSiloA_CookieRefusedBySiloB(string provider)
    {
        using var shared = new TempDirectory("web-shared");
        var settings = new Dictionary<string, string?>();
        if (provider == "postgres")
        {
            settings["Resilience:Storage:Provider"] = "postgres";
            settings["Resilience:Storage:ConnectionString"] = await postgres.NewDatabaseAsync();
        }
        else
        {
            settings["Resilience:DataDirectory"] = shared.Path;
        }

        await using WebTestHost a = await WebTestHost.StartAsync(settings);
        await using WebTestHost b = await WebTestHost.StartAsync(settings);
        using HttpClient clientA = a.CreateClient(out CookieContainer jarA);
        (await WebTestHost.LoginAsync(clientA, WebTestHost.OperatorName, WebTestHost.OperatorPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        string copied = jarA.GetCookies(a.Url)[OperatorAuthorization.CookieName]!.Value;

        using HttpClient clientB = b.CreateClient(out CookieContainer jarB);
        jarB.Add(b.Url, new Cookie(OperatorAuthorization.CookieName, copied));
        (await clientB.GetAsync(new Uri("/ops/session", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "silo B reads silo A's cookie");

        using HttpRequestMessage logout = await WebTestHost.OperatorPostAsync(clientA, "/ops/logout");
        (await clientA.SendAsync(logout, Ct)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var sinceLogout = Stopwatch.StartNew();

        HttpStatusCode status;
        do
        {
            using HttpClient probe = b.CreateClient(out CookieContainer probeJar); // a fresh jar each time: B's 401 also clears the cookie
            probeJar.Add(b.Url, new Cookie(OperatorAuthorization.CookieName, copied));
            using HttpResponseMessage response = await probe.GetAsync(new Uri("/ops/session", UriKind.Relative), Ct);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(50, Ct);
            }
        }
        while (status == HttpStatusCode.OK && sinceLogout.Elapsed < TimeSpan.FromSeconds(15));

        status.Should().Be(HttpStatusCode.Unauthorized, "the logout on silo A revoked the session for silo B too");
        TestContext.Current.TestOutputHelper?.WriteLine($"{provider}: silo B refused the cookie {sinceLogout.ElapsedMilliseconds} ms after the logout on silo A");
    }
}
