using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// The emergency console in a real Chromium against the silo's own composition (<see cref="InProcessSilo"/>): login,
/// a gauge's readings crossing its alarm levels over MQTT, the resulting alert arriving live over SSE, acknowledging
/// and resolving it, and the API showing both.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EmergencyConsoleTests
{
    private const float Timeout = 30_000;
    private const string Gauge = "dn-camle-wl";
    private const string Zone = "danang-camle";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Console_AfterLogin_ReceivesAlertLiveAndAcknowledgesIt()
    {
        await using InProcessSilo silo = await InProcessSilo.StartAsync();
        await using ChromiumSession chromium = await ChromiumSession.StartAsync();
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        IPage page = await context.NewPageAsync();
        using HttpClient client = silo.CreateClient();

        await page.GotoAsync(new Uri(silo.Url, "/ops").ToString());
        page.Url.Should().EndWith("/ops/login?ReturnUrl=%2Fops");
        await ChromiumSession.ScreenshotAsync(page, "console-login.png");
        await page.Locator("#username").FillAsync(SiloWithSimulator.OperatorName);
        await page.Locator("#password").FillAsync(SiloWithSimulator.OperatorPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(silo.Url, "/ops").ToString(), new() { Timeout = Timeout });
        await page.Locator("#live[data-live=true]").WaitForAsync(new() { Timeout = Timeout });
        (await page.Locator("#who").TextContentAsync()).Should().Be(SiloWithSimulator.OperatorName);
        (await page.Locator("#active tbody tr[data-alert]").CountAsync()).Should().Be(0, "a fresh silo has no alerts");

        // With the console open, the gauge's readings cross alarm levels I, II and III (1.5 / 2.0 / 2.5 m in the
        // registry) over the silo's broker; the sensor grain's water-level rule raises the alert the console must show live.
        // A reading every 15 minutes (the last one now): the steepest step, 0.4 m, is 1.6 m/h, inside the gauge's
        // 2 m/h spike limit, so the readings are trusted and the level rule sees them.
        double[] levels = [1.2, 1.6, 1.7, 2.1, 2.2, 2.6, 2.7, 2.8];
        DateTimeOffset first = DateTimeOffset.UtcNow.AddMinutes(-15 * (levels.Length - 1));
        for (int i = 0; i < levels.Length; i++)
        {
            await SimulatorFeed.PublishWaterLevelAsync(silo.MqttPort, "danang", Gauge, i + 1, levels[i], Ct, first.AddMinutes(15 * i));
        }

        int zoneLevel = await WaitForZoneLevelAsync(client);
        zoneLevel.Should().Be(3, "2.8 m is above alarm level III of the zone's only gauge");
        long raisedId = await WaitForWaterLevelAlertAsync(client);
        string id = raisedId.ToString(CultureInfo.InvariantCulture);

        ILocator row = page.Locator($"#active tr[data-alert='{id}']");
        await row.WaitForAsync(new() { Timeout = Timeout });
        using (JsonDocument live = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/alerts/" + id, UriKind.Relative), Ct)))
        {
            string state = live.RootElement.GetProperty("state").GetString()!;
            string severity = live.RootElement.GetProperty("severity").GetString()!;
            live.RootElement.GetProperty("subject").GetString().Should().Be(Gauge);
            await row.Locator($"[data-st={state}]").WaitForAsync(new() { Timeout = Timeout });
            (await row.Locator($"[data-sev={severity}]").CountAsync()).Should().Be(1, "the row shows the API's severity");
        }

        (await page.Locator("#status").TextContentAsync()).Should().Contain(Gauge);

        // The zone grid refreshes on a timer; a reload shows the zone's new status at once (the session stays).
        await page.ReloadAsync();
        await page.Locator("#live[data-live=true]").WaitForAsync(new() { Timeout = Timeout });
        await row.WaitForAsync(new() { Timeout = Timeout });
        await page.Locator($"#zones li[data-zone='{Zone}']").WaitForAsync(new() { Timeout = Timeout });
        (await page.Locator("#zones li[data-zone]").First.GetAttributeAsync("class")).Should().Contain("z3", "the worst zone comes first");

        // The gauge inside the zone card: its level, its alarm levels with source and verified, and the last hour
        // drawn against its three alarm lines, all as the API gives them.
        using (JsonDocument zone = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/zones/" + Zone, UriKind.Relative), Ct)))
        {
            JsonElement g = zone.RootElement.GetProperty("gauges").EnumerateArray().Single(x => x.GetProperty("id").GetString() == Gauge);
            JsonElement alarmLevels = g.GetProperty("alarmLevels");
            ILocator card = page.Locator($"#zones li[data-zone='{Zone}'] li.gauge[data-gauge='{Gauge}']");
            // The gauge reports every minute, so by now its last reading may be stale: the card follows the API's word.
            string freshness = g.GetProperty("freshness").GetString()!;
            string levelText = (await card.Locator("[data-field=level]").TextContentAsync())!.Trim();
            if ((await card.GetAttributeAsync("data-freshness")) == "current" && freshness == "current")
            {
                levelText.Should().Be(g.GetProperty("levelM").GetDouble().ToString("F2", CultureInfo.InvariantCulture) + " m");
            }
            else
            {
                levelText.Should().StartWith("không có dữ liệu mới từ").And.Contain("no recent data since");
            }

            string words = (await card.Locator("[data-field=alarmLevels]").TextContentAsync())!;
            string Level(string key) => alarmLevels.GetProperty(key).GetDouble().ToString(CultureInfo.InvariantCulture);
            words.Should().StartWith($"I {Level("i")} · II {Level("ii")} · III {Level("iii")} m")
                .And.Contain(alarmLevels.GetProperty("verified").GetBoolean() ? "verified" : "unverified")
                .And.Contain(alarmLevels.GetProperty("source").GetString());
            ILocator lines = card.Locator("svg .alarm-line");
            await Assertions.Expect(lines).ToHaveCountAsync(3, new() { Timeout = Timeout });
            (await lines.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-level'))")).Should().Equal("i", "ii", "iii");
            (await card.Locator("svg path.series").CountAsync()).Should().Be(1, "the last hour's levels are drawn");
        }

        await row.Locator("button[data-action=ack]").ClickAsync();
        await page.Locator("#act-note").FillAsync("Đã cử đội cứu hộ");
        await page.Locator("#act-ok").ClickAsync();
        await row.Locator("[data-st=acknowledged]").WaitForAsync(new() { Timeout = Timeout });

        using (JsonDocument all = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/alerts?state=all", UriKind.Relative), Ct)))
        {
            JsonElement acked = all.RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == raisedId);
            acked.GetProperty("state").GetString().Should().Be("acknowledged");
            acked.GetProperty("acknowledgedBy").GetString().Should().Be(SiloWithSimulator.OperatorName);
            acked.GetProperty("note").GetString().Should().Be("Đã cử đội cứu hộ");
        }

        await page.Locator($"#history tr[data-alert='{id}']").WaitForAsync(new() { Timeout = Timeout });
        await ChromiumSession.ScreenshotAsync(page, "emergency-console.png");

        // Resolve with a note: the alert leaves the active table and the API shows it resolved.
        await row.Locator("button[data-action=resolve]").ClickAsync();
        await page.Locator("#act-note").FillAsync("Nước đã rút");
        await page.Locator("#act-ok").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = Timeout });
        using (JsonDocument resolved = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/alerts/" + id, UriKind.Relative), Ct)))
        {
            resolved.RootElement.GetProperty("state").GetString().Should().Be("resolved");
            resolved.RootElement.GetProperty("resolvedBy").GetString().Should().Be(SiloWithSimulator.OperatorName);
            resolved.RootElement.GetProperty("note").GetString().Should().Be("Nước đã rút");
        }

        await page.Locator("#logout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Uri(silo.Url, "/ops/login").ToString(), new() { Timeout = Timeout });
        await page.GotoAsync(new Uri(silo.Url, "/ops").ToString());
        page.Url.Should().Contain("/ops/login", "the session ended with the logout");
    }

    private static async Task<long> WaitForWaterLevelAlertAsync(HttpClient client)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using JsonDocument active = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/alerts?state=active", UriKind.Relative), Ct));
            foreach (JsonElement a in active.RootElement.EnumerateArray())
            {
                if (a.GetProperty("subject").GetString() == Gauge && a.GetProperty("rule").GetString() == "water-level")
                {
                    return a.GetProperty("id").GetInt64();
                }
            }

            await Task.Delay(200, Ct);
        }

        string all = await client.GetStringAsync(new Uri("/api/alerts?state=all", UriKind.Relative), Ct);
        throw new TimeoutException($"no water-level alert for {Gauge} within 30 s; alerts: {all}");
    }

    private static async Task<int> WaitForZoneLevelAsync(HttpClient client)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        int level = 0;
        while (DateTime.UtcNow < deadline)
        {
            using JsonDocument zone = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/zones/" + Zone, UriKind.Relative), Ct));
            level = zone.RootElement.GetProperty("level").GetInt32();
            if (level == 3)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        return level;
    }
}
