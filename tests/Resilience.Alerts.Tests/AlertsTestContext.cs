using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;
using Resilience.TestKit;

namespace Resilience.Alerts.Tests;

/// <summary>An in-memory alert store and service on a manual clock (no file I/O).</summary>
internal sealed class AlertsTestContext : IDisposable
{
    public AlertsTestContext(IReadOnlyDictionary<string, string?>? configuration = null, DateTimeOffset? start = null, Resilience.Alerts.Storage.StateDatabase? database = null)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build();
        Options = new AlertsOptions();
        config.GetSection(AlertsOptions.SectionName).Bind(Options);
        Time = new ManualTimeProvider(start);
        Store = database is null
            ? new AlertStore($"file:alerts-{Guid.NewGuid():N}?mode=memory&cache=shared")
            : new AlertStore(database, ownsDatabase: true);
        Service = new AlertService(Store, Hub, Signal, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<AlertService>.Instance);
    }

    public AlertsOptions Options { get; }

    public ManualTimeProvider Time { get; }

    public AlertStore Store { get; }

    public AlertStreamHub Hub { get; } = new();

    public OutboxSignal Signal { get; } = new();

    public AlertService Service { get; }

    public IOptions<AlertsOptions> OptionsWrapper => Microsoft.Extensions.Options.Options.Create(Options);

    public void Dispose() => Store.Dispose();
}
