using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Api;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>A real alerts host (Kestrel on a free loopback port, AddAlerts + MapAlerts) over a data directory.</summary>
internal sealed class AlertsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AlertsHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>An HTTP client signed in as an operator (the write endpoints need the Operator policy).</summary>
    public HttpClient CreateOperatorClient()
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Add(TestOperatorHandler.HeaderName, "officer.test");
        return http;
    }

    public IAlertService Alerts => Services.GetRequiredService<IAlertService>();

    public AlertRuleCatalog Catalog => Services.GetRequiredService<AlertRuleCatalog>();

    public static async Task<AlertsHost> StartAsync(string dataDirectory, IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null)
    {
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var settings = new Dictionary<string, string?>
        {
            ["Resilience:DataDirectory"] = dataDirectory,
            ["Resilience:Alerts:Dispatch:PollInterval"] = "00:00:00.200",
            ["Resilience:Alerts:Dispatch:BackoffBase"] = "00:00:00.200",
            ["Resilience:Alerts:Dispatch:BackoffMax"] = "00:00:02",
            ["Resilience:Alerts:Dispatch:MaxAttempts"] = "1000",
            ["Resilience:Alerts:Dispatch:RequestTimeout"] = "00:00:05",
        };
        foreach (KeyValuePair<string, string?> pair in configuration ?? new Dictionary<string, string?>())
        {
            settings[pair.Key] = pair.Value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        services?.Invoke(builder.Services);
        builder.Services.AddAuthentication(TestOperatorHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestOperatorHandler>(TestOperatorHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("Operator", p => p.RequireAuthenticatedUser());
        builder.AddAlerts();
        WebApplication app = builder.Build();
        app.MapAlerts();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new AlertsHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Feeds water levels of one gauge through its default rules, one reading a minute from <paramref name="start"/>.</summary>
    public Task<DateTimeOffset> FeedLevelsAsync(AlertSubject gauge, DateTimeOffset start, Dictionary<string, RuleState[]> states, params double[] levels) =>
        FeedLevelsAsync(Alerts, Catalog, gauge, start, states, levels);

    /// <summary>Feeds water levels of one gauge through <paramref name="catalog"/>'s default level rule into <paramref name="alerts"/> (any host's).</summary>
    public static async Task<DateTimeOffset> FeedLevelsAsync(IAlertService alerts, AlertRuleCatalog catalog, AlertSubject gauge, DateTimeOffset start, Dictionary<string, RuleState[]> states, params double[] levels)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(gauge);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(levels);
        IReadOnlyList<AlertRule> rules = catalog.For(new SensorRuleContext(gauge.Id, DefaultRules.WaterLevel, null, new AlarmLevels(1.0, 2.0, 2.5)));
        if (!states.TryGetValue(gauge.Id, out RuleState[]? ruleStates))
        {
            ruleStates = new RuleState[rules.Count];
            IReadOnlyList<AlertRecord> open = await alerts.OpenAlertsAsync(gauge.Id, TestContext.Current.CancellationToken);
            for (int i = 0; i < rules.Count; i++)
            {
                AlertSeverity active = open.FirstOrDefault(a => a.Rule == rules[i].Id)?.Severity ?? AlertSeverity.None;
                ruleStates[i] = rules[i].CreateState(active);
            }

            states[gauge.Id] = ruleStates;
        }

        DateTimeOffset at = start;
        foreach (double level in levels)
        {
            at = at.AddMinutes(1);
            var reading = new Reading(at, level);
            for (int i = 0; i < rules.Count; i++)
            {
                if (rules[i].Id != "water-level")
                {
                    continue; // keep the versions countable: only the level rule
                }

                RuleTransition transition = rules[i].Evaluate(ref ruleStates[i], in reading, at);
                if (!transition.IsNone)
                {
                    await alerts.ApplyAsync(gauge, transition, TestContext.Current.CancellationToken);
                }
            }
        }

        return at;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
