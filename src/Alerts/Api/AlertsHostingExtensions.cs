using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Cap;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.Alerts.Storage;

namespace Resilience.Alerts.Api;

/// <summary>Registers the alerts area: rules catalog, lifecycle store and service, CAP, dispatch workers.</summary>
internal static class AlertsHostingExtensions
{
    /// <summary>
    /// Adds the alerts services and workers. Register an <see cref="IAlertMqttPublisher"/> (before or after) to
    /// publish alert states over MQTT through the outbox; without one the MQTT messages are accepted and dropped (or,
    /// with a shared ledger, not queued). Register an <see cref="ILocalAlertBroker"/> for the silo's own embedded
    /// broker, which <see cref="AlertFeedFollower"/> keeps current when the ledger is shared.
    /// </summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.SectionName)
            .PostConfigure(options => options.PublicBaseUrl ??= builder.Configuration["Resilience:PublicBaseUrl"] is { Length: > 0 } url ? url : null)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();
        services.AddSingleton<IValidateOptions<AlertsOptions>, AlertRulesValidator>();
        services.TryAddSingleton(TimeProvider.System);
        string dataDirectory = builder.Configuration["Resilience:DataDirectory"] is { Length: > 0 } configured ? configured : "./data";
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            AlertsOptions options = sp.GetRequiredService<IOptions<AlertsOptions>>().Value;
            StorageOptions storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            StateDatabase database = StateDatabase.Create(storage, options.DatabasePath ?? Path.Combine(dataDirectory, "alerts.db"));
            return new AlertStore(database, ownsDatabase: true);
        });
        services.TryAddSingleton<AlertStreamHub>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<AlertService>();
        services.TryAddSingleton<IAlertService>(sp => sp.GetRequiredService<AlertService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Resilience.Ingest.Health.IHealthContributor, AlertStoreHealthContributor>());
        services.TryAddSingleton<CapPublisher>();
        services.TryAddSingleton<PublicBaseUrl>();
        services.TryAddSingleton(sp => new AlertRuleCatalog(sp.GetRequiredService<IOptions<AlertsOptions>>().Value.Rules));
        // Before the MQTT dispatcher: hosted services start in order, so the republished retained states go out
        // before any newer version the dispatcher delivers.
        services.AddHostedService<RetainedAlertRepublisher>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<MqttDispatcher>();
        services.AddHostedService<InfluxDispatcher>();
        services.AddHostedService<EscalationNoticeWorker>();
        // A cluster (shared ledger): every silo's SSE hub and embedded broker follow every silo's commits.
        services.TryAddSingleton<AlertFeedFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertFeedFollower>());
        return builder;
    }
}
