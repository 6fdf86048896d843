using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Pipeline;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Api;
using Resilience.Silo.Ingest;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Web;

namespace Resilience.Silo.Hosting;

/// <summary>Composes the silo from the areas' <c>Add…</c> extensions.</summary>
internal static class SiloHostingExtensions
{
    /// <summary>Registers every service the silo runs (or only the broker when <c>Resilience:Mode=broker</c>).</summary>
    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PrometheusExporter>();

        string mode = builder.Configuration[SiloOptions.SectionName + ":Mode"] ?? "silo";
        if (string.Equals(mode, "broker", StringComparison.Ordinal))
        {
            // Broker-only: the embedded MQTT broker alone (interoperability suites, a broker tier of its own).
            builder.AddMqttBroker();
            return builder;
        }

        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName);
        services.AddOptions<FloodLevelOptions>().BindConfiguration(FloodLevelOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FloodLevelOptions>, FloodLevelOptionsValidator>();

        // Hosted services stop in reverse order of registration. The registry and the InfluxDB writer are
        // registered before the Orleans silo, and the broker after it: at shutdown ingest stops first, then Orleans
        // deactivates every grain (state and last points written), and only then does the point writer stop.
        services.AddSingleton<RegistryProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryProvider>());
        builder.AddInfluxWriter();
        services.AddSingleton<SensorSnapshotCache>();
        services.AddSingleton<GrainReferenceCache>();
        services.AddSingleton<SiloServices>();
        builder.AddOrleansSilo();
        services.AddHostedService<SensorSnapshotWarmup>();
        services.AddSingleton<SensorSnapshotExchange>();
        services.AddHostedService(sp => sp.GetRequiredService<SensorSnapshotExchange>());
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Resilience.Ingest.Health.IHealthContributor, DiskSpaceHealth>();
        services.AddHostedService<PipelineMeasurementPublisher>();

        // Ingest: broker → pipeline (topic, JSON/SenML decode, dead letters) → SiloTelemetrySink → sensor grains.
        services.AddSingleton<SiloTelemetrySink>();
        services.AddSingleton<ITelemetrySink>(sp => sp.GetRequiredService<SiloTelemetrySink>());
        builder.AddIngestPipeline();
        services.AddSingleton<Resilience.Ingest.Mqtt.Broker.IMqttDeviceDirectory, RegistryDeviceDirectory>();
        builder.AddMqttBroker();
        services.AddHostedService<BrokerSubscriptionService>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Resilience:Mqtt:External:Host"]))
        {
            // Also consume from an external broker (mosquitto, EMQX) through a shared subscription, so several
            // silos split a province's load; set Resilience:Mqtt:Broker:Enabled=false to use it alone.
            builder.AddExternalMqttConsumer();
        }

        services.AddSingleton<BrokerAlertPublisher>();
        services.AddSingleton<IAlertMqttPublisher>(sp => sp.GetRequiredService<BrokerAlertPublisher>());
        if (builder.Configuration.GetValue("Resilience:Mqtt:Broker:Enabled", true))
        {
            // With a shared alert ledger every silo's feed follower keeps this broker's alerts/# topics current.
            services.AddSingleton<ILocalAlertBroker>(sp => sp.GetRequiredService<BrokerAlertPublisher>());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["Resilience:Mqtt:External:Host"]))
        {
            // Registered last, so it wins: alerts go to the external broker the devices and subscribers use.
            services.AddSingleton<IAlertMqttPublisher, ExternalAlertPublisher>();
        }

        builder.AddAlerts();
        services.AddSiloAlerting();
        builder.AddWebPages();
        // One set of login counts for the cluster (the web pages alone keep theirs in process).
        services.Replace(ServiceDescriptor.Singleton<IOperatorLoginThrottle, ClusterLoginThrottle>());
        return builder;
    }

    /// <summary>Maps the HTTP endpoints.</summary>
    public static WebApplication MapSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<PrometheusExporter>(); // listen from the start, not from the first scrape
        if (app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.IsBrokerOnly)
        {
            app.MapGet("/health", () => Results.Ok(new { status = "ok", mode = "broker" }));
            return app;
        }

        app.MapWebPages();
        app.MapSiloApi();
        app.MapAlerts();
        return app;
    }
}
