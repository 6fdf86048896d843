using System.Text.Json;
using Microsoft.Playwright;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// The emergency console in a real Chromium: login, a new alert arriving over SSE, acknowledging it, and the API
/// showing the acknowledgement. Runs against the TEST-ONLY <see cref="FakeResilienceApi"/> until the Alerts API lands.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EmergencyConsoleTests
{
    private const float Timeout = 30_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Console_AfterLogin_ReceivesAlertLiveAndAcknowledgesIt()
    {
        await using WebTestHost host = await WebTestHost.StartAsync();
        await using ChromiumSession chromium = await ChromiumSession.StartAsync();
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        IPage page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Url, "/ops").ToString());
        page.Url.Should().EndWith("/ops/login?ReturnUrl=%2Fops");
        await ChromiumSession.ScreenshotAsync(page, "console-login.png");
        await page.Locator("#username").FillAsync(WebTestHost.OperatorName);
        await page.Locator("#password").FillAsync(WebTestHost.OperatorPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(host.Url, "/ops").ToString(), new() { Timeout = Timeout });
        await page.Locator("#live[data-live=true]").WaitForAsync(new() { Timeout = Timeout });
        await WaitUntilAsync(() => host.Api.SubscriberCount > 0);
        (await page.Locator("#who").TextContentAsync()).Should().Be(WebTestHost.OperatorName);
        await page.Locator("#zones li[data-zone]").Nth(3).WaitForAsync(new() { Timeout = Timeout });
        (await page.Locator("#zones li[data-zone]").First.GetAttributeAsync("class")).Should().Contain("z3", "the worst zone comes first");

        DateTimeOffset now = DateTimeOffset.UtcNow;
        host.Api.Publish(new FakeAlert("a-live-1", "danang-nguhanhson", "danang", "zone-alarm-III", "extreme", "raised", 2.71, now, now, 1, null, null, null));

        ILocator row = page.Locator("#active tr[data-alert='a-live-1']");
        await row.WaitForAsync(new() { Timeout = Timeout });
        (await page.Locator("#active tbody tr").First.GetAttributeAsync("data-alert")).Should().Be("a-live-1", "extreme sorts before severe");
        (await row.Locator("[data-st=raised]").CountAsync()).Should().Be(1);
        (await page.Locator("#status").TextContentAsync()).Should().Contain("danang-nguhanhson");

        await row.Locator("button[data-action=ack]").ClickAsync();
        await page.Locator("#act-note").FillAsync("Đã cử đội cứu hộ");
        await page.Locator("#act-ok").ClickAsync();
        await row.Locator("[data-st=acknowledged]").WaitForAsync(new() { Timeout = Timeout });

        using HttpClient client = host.CreateClient(out _);
        using JsonDocument all = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/alerts?state=all", UriKind.Relative), Ct));
        JsonElement acked = all.RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "a-live-1");
        acked.GetProperty("state").GetString().Should().Be("acknowledged");
        acked.GetProperty("acknowledgedBy").GetString().Should().Be(WebTestHost.OperatorName);
        acked.GetProperty("note").GetString().Should().Be("Đã cử đội cứu hộ");
        await page.Locator("#history tr[data-alert='a-live-1']").WaitForAsync(new() { Timeout = Timeout });

        // Resolve with a note: the alert leaves the active table and the API shows it resolved.
        ILocator seed = page.Locator("#active tr[data-alert='a-seed-1']");
        await seed.Locator("button[data-action=resolve]").ClickAsync();
        await page.Locator("#act-note").FillAsync("Nước đã rút");
        await page.Locator("#act-ok").ClickAsync();
        await Assertions.Expect(seed).ToHaveCountAsync(0, new() { Timeout = Timeout });
        host.Api.Get("a-seed-1")!.State.Should().Be("resolved");
        host.Api.Get("a-seed-1")!.Note.Should().Be("Nước đã rút");
        await ChromiumSession.ScreenshotAsync(page, "emergency-console.png");

        await page.Locator("#logout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(host.Url, "/ops/login").ToString(), new() { Timeout = Timeout });
        await page.GotoAsync(new Uri(host.Url, "/ops").ToString());
        page.Url.Should().Contain("/ops/login", "the session ended with the logout");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 30 s");
            await Task.Delay(50, Ct);
        }
    }
}
