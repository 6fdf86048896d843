using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Resilience.Silo.Persistence;

namespace Resilience.Silo.Hosting;

/// <summary>
/// The silo's Orleans host (docs/adr/0002-orleans.md): clustering and grain storage from
/// <see cref="ClusterHostingExtensions.ConfigureResilienceCluster"/> (one box by default: localhost clustering and
/// SQLite under the data directory), idle collection after
/// <see cref="GrainOptions.CollectionAge"/>, and the grain-call metrics filter. The HTTP API, ingest and the
/// alert workers call grains through the co-hosted client (<see cref="IGrainFactory"/> from DI).
/// </summary>
internal static class OrleansHostingExtensions
{
    /// <summary>Adds the Orleans silo. Call after the InfluxDB writer and before ingest, so that at shutdown ingest
    /// stops first, then Orleans deactivates every grain (writing state and last points), then the writer flushes.</summary>
    public static IHostApplicationBuilder AddOrleansSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrainOptions>, GrainOptionsValidator>();

        // Read while the host is built, before options validation runs; bad values are still reported by the
        // validator above at start.
        GrainOptions grains = builder.Configuration.GetSection(GrainOptions.SectionName).Get<GrainOptions>() ?? new();
        IConfiguration configuration = builder.Configuration;
        services.AddSingleton<GrainMetrics>();

        // Deactivating 100,000 dirty grains (each writes its state) took ~40 s on this shared machine: the host's
        // default 30 s shutdown budget would cut that short on SIGTERM and lose state.
        services.Configure<HostOptions>(static o => o.ShutdownTimeout = o.ShutdownTimeout < TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : o.ShutdownTimeout);
        builder.UseOrleans(silo =>
        {
            // Clustering (localhost, or Redis membership) and grain storage (SQLite or PostgreSQL) from
            // Resilience:Cluster and Resilience:Storage.
            silo.ConfigureResilienceCluster(configuration);
            silo.Services.AddSingleton<IGrainStateScan>(sp => sp.GetRequiredService<RelationalGrainStorage>());
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = grains.CollectionAge);
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GrainMetrics>());
        });
        return builder;
    }
}
