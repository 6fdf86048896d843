using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Resilience.Alerts.Storage;
using Resilience.Silo.Persistence;

namespace Resilience.Silo.Hosting;

/// <summary>
/// Cluster and storage wiring of the Orleans silo, chosen from validated options: localhost clustering (one box)
/// or Redis membership with fast failure detection (a cluster), and <see cref="RelationalGrainStorage"/> on SQLite
/// under the data directory or on the cluster's shared PostgreSQL as the default grain storage.
/// </summary>
internal static class ClusterHostingExtensions
{
    /// <summary>
    /// Applies <c>Resilience:Cluster</c> and <c>Resilience:Storage</c> to <paramref name="silo"/>. Invalid
    /// settings (a cluster on SQLite, Redis or PostgreSQL without a connection string, bad ports) throw
    /// <see cref="OptionsValidationException"/> with every problem listed, before anything starts.
    /// </summary>
    public static ISiloBuilder ConfigureResilienceCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        SiloClusterOptions cluster = configuration.GetSection(SiloClusterOptions.SectionName).Get<SiloClusterOptions>() ?? new();
        StorageOptions storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new();
        Validate(cluster, storage);

        IServiceCollection services = silo.Services;
        services.AddOptions<SiloClusterOptions>().BindConfiguration(SiloClusterOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloClusterOptions>, SiloClusterOptionsValidator>());
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());

        int siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreePort();
        int gatewayPort = cluster.GatewayPort > 0 ? cluster.GatewayPort : FreePort();
        if (cluster.IsRedis)
        {
            silo.UseRedisClustering(cluster.ConnectionString!);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (cluster.AdvertisedAddress is { Length: > 0 } address)
            {
                silo.ConfigureEndpoints(IPAddress.Parse(address), siloPort, gatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.ConfigureEndpoints(siloPort, gatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
            }

            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
            });
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, null, cluster.ServiceId, cluster.ClusterId);
        }

        services.TryAddSingleton(sp =>
        {
            string dataDirectory = configuration["Resilience:DataDirectory"] is { Length: > 0 } d ? d : "./data";
            StorageOptions options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new RelationalGrainStorage(
                StateDatabase.Create(options, Path.Combine(Path.GetFullPath(dataDirectory), "grains.db")),
                sp.GetRequiredService<Serializer>(),
                sp.GetRequiredService<ILogger<RelationalGrainStorage>>());
        });
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, static (sp, _) => sp.GetRequiredService<RelationalGrainStorage>());
        return silo;
    }

    /// <summary>Validates the bound options the way the host will, throwing at once with every message.</summary>
    internal static void Validate(SiloClusterOptions cluster, StorageOptions storage)
    {
        ValidateOptionsResult result = SiloClusterOptionsValidator.Check(cluster, storage);
        ValidateOptionsResult stored = new StorageOptionsValidator().Validate(null, storage);
        var failures = new List<string>();
        failures.AddRange(result.Failures ?? []);
        failures.AddRange(stored.Failures ?? []);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SiloClusterOptions.SectionName, typeof(SiloClusterOptions), failures);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
