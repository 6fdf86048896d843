using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Web;
using Resilience.TestKit;
using AlertAlarmLevels = Resilience.Alerts.Rules.AlarmLevels;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// The silo's own composition (<c>AddSilo</c>/<c>MapSilo</c>, exactly what Program.cs runs) hosted in the test process on
/// free ports, for the one test that needs the silo's services: until feat/rules wires rule evaluation into the sensor
/// grains, <see cref="EvaluateGaugeRulesAsync"/> plays that part (the silo's rule catalog and registry alarm levels,
/// transitions applied to the silo's <see cref="IAlertService"/>); everything else is the silo as operators run it.
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

    public static async Task<InProcessSilo> StartAsync()
    {
        var data = new TempDirectory("console-silo");
        int httpPort = FreePort.Next();
        int mqttPort = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = data.Path,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:DataDirectory"] = data.Path,
            ["Resilience:Registry:Path"] = SimulatorFeed.RegistryPath,
            ["Resilience:Mqtt:Broker:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Resilience:Influx:Url"] = string.Empty,
            ["Resilience:Web:Operators:0:Username"] = SiloWithSimulator.OperatorName,
            ["Resilience:Web:Operators:0:PasswordHash"] = OperatorPasswordHasher.Hash(SiloWithSimulator.OperatorPassword, OperatorPasswordHasher.MinimumIterations),
        });
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

    /// <summary>
    /// Stand-in for the grain wiring of feat/rules: evaluates the gauge's water-level rule (the silo's catalog, the
    /// registry's alarm levels) over <paramref name="levels"/>, one a minute, and applies every transition to the
    /// silo's alert service. Returns the alert left open.
    /// </summary>
    public async Task<AlertRecord> EvaluateGaugeRulesAsync(string sensorId, params double[] levels)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        RegistryProvider registry = _app.Services.GetRequiredService<RegistryProvider>();
        registry.Current.TryGetSensor(sensorId, out SensorInfo? sensor).Should().BeTrue();
        Resilience.Silo.Registry.AlarmLevels alarm = sensor!.AlarmLevels!;
        IAlertService alerts = _app.Services.GetRequiredService<IAlertService>();
        AlertRuleCatalog catalog = _app.Services.GetRequiredService<AlertRuleCatalog>();
        AlertRule rule = catalog.For(new SensorRuleContext(sensor.Id, DefaultRules.WaterLevel, sensor.Zone, new AlertAlarmLevels(alarm.I, alarm.II, alarm.III)))
            .Single(r => r.Id == "water-level");
        RuleState state = rule.CreateState(AlertSeverity.None);
        var subject = new AlertSubject { Id = sensor.Id, Province = sensor.Province, Name = sensor.Name, Area = sensor.Area, Zone = sensor.Zone, Lat = sensor.Lat, Lon = sensor.Lon };
        DateTimeOffset at = DateTimeOffset.UtcNow.AddMinutes(-levels.Length);
        AlertRecord? open = null;
        foreach (double level in levels)
        {
            at = at.AddMinutes(1);
            var reading = new Reading(at, level);
            RuleTransition transition = rule.Evaluate(ref state, in reading, at);
            if (!transition.IsNone)
            {
                open = await alerts.ApplyAsync(subject, transition, ct) ?? open;
            }
        }

        open.Should().NotBeNull($"levels {string.Join(", ", levels)} cross the alarm levels of {sensorId}");
        return open!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
