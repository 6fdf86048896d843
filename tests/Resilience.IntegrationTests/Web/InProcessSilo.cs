using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilience.Silo.Hosting;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// The silo's own composition (<c>AddSilo</c>/<c>MapSilo</c>, exactly what Program.cs runs) hosted in the test process on
/// free ports, for the console test: readings published to its broker raise alerts through the sensor grains' rules,
/// exactly as operators run it.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private InProcessSilo(WebApplication app, TempDirectory data, Uri url, int mqttPort)
    {
        _app = app;
        _data = data;
        Url = url;
        MqttPort = mqttPort;
    }

    public Uri Url { get; }

    public int MqttPort { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a silo; <paramref name="settings"/> override the defaults (e.g. a shared PostgreSQL ledger).</summary>
    public static async Task<InProcessSilo> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var data = new TempDirectory("console-silo");
        int httpPort = FreePort.Next();
        int mqttPort = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = data.Path,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(BrokerTestAccess.OpenLoopback.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
        builder.Configuration.AddInMemoryCollection(SiloProcess.OrleansPorts().Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:DataDirectory"] = data.Path,
            ["Resilience:Registry:Path"] = SimulatorFeed.RegistryPath,
            ["Resilience:Mqtt:Broker:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Resilience:Influx:Url"] = string.Empty,
            ["Resilience:Web:Operators:0:Username"] = SiloWithSimulator.OperatorName,
            ["Resilience:Web:Operators:0:PasswordHash"] = OperatorPasswordHasher.Hash(SiloWithSimulator.OperatorPassword, OperatorPasswordHasher.MinimumIterations),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var url = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
        builder.WebHost.UseUrls(url.ToString().TrimEnd('/'));
        builder.AddSilo();
        WebApplication app = builder.Build();
        app.MapSilo();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessSilo(app, data, url, mqttPort);
    }

    /// <summary>An HTTP client with its own cookie jar, no redirects followed.</summary>
    public HttpClient CreateClient()
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
