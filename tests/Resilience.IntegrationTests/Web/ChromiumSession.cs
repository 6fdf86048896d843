using Microsoft.Playwright;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// Playwright driving the machine's own Chromium (<c>/usr/bin/chromium</c>, installed by ./test.sh from Debian).
/// Playwright's driver ships inside its NuGet package; nothing is downloaded.
/// </summary>
internal sealed class ChromiumSession : IAsyncDisposable
{
    private ChromiumSession(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    /// <summary>Where screenshots go: <c>artifacts/</c> under the test output directory.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static async Task<ChromiumSession> StartAsync()
    {
        string executable = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : "/usr/bin/chromium-browser";
        IPlaywright playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
                Timeout = 60_000,
            });
            return new ChromiumSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves a full-page screenshot under <see cref="ArtifactsDirectory"/> and prints its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(ArtifactsDirectory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
