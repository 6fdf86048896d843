using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Resilience.Silo.Persistence;

namespace Resilience.Silo.Hosting;

/// <summary>
/// The silo's Orleans host (docs/adr/0002-orleans.md): localhost clustering on the configured or free loopback
/// ports, the SQLite grain storage as the default provider, idle collection after
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
        services.AddOptions<SiloClusterOptions>().BindConfiguration(SiloClusterOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloClusterOptions>, SiloClusterOptionsValidator>();
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrainOptions>, GrainOptionsValidator>();

        // The silo's endpoints are needed while the host is built, before options validation runs; bad values
        // are still reported by the validators above at start.
        SiloClusterOptions cluster = builder.Configuration.GetSection(SiloClusterOptions.SectionName).Get<SiloClusterOptions>() ?? new();
        GrainOptions grains = builder.Configuration.GetSection(GrainOptions.SectionName).Get<GrainOptions>() ?? new();
        int siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreeLoopbackPort();
        int gatewayPort = cluster.GatewayPort > 0 ? cluster.GatewayPort : FreeLoopbackPort();

        services.AddSingleton(sp => new SqliteGrainStorage(
            Path.GetFullPath(sp.GetRequiredService<IOptions<SiloOptions>>().Value.DataDirectory),
            sp.GetRequiredService<Serializer>(),
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        services.AddSingleton<IGrainStateScan>(sp => sp.GetRequiredService<SqliteGrainStorage>());
        services.AddSingleton<GrainMetrics>();

        // Deactivating 100,000 dirty grains (each writes its state) took ~40 s on this shared machine: the host's
        // default 30 s shutdown budget would cut that short on SIGTERM and lose state.
        services.Configure<HostOptions>(static o => o.ShutdownTimeout = o.ShutdownTimeout < TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : o.ShutdownTimeout);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, null, cluster.ServiceId, cluster.ClusterId);
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = grains.CollectionAge);
            silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, static (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GrainMetrics>());
        });
        return builder;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
