using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Storage;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.TestKit;

namespace Resilience.Silo.Tests.Support;

/// <summary>
/// A real Orleans silo in process (localhost clustering on free ports, Orleans' memory grain storage, a recording
/// point writer). The grains' own clock (<see cref="SiloServices.Time"/>) is a manual one; Orleans keeps the system
/// clock, so grain timers fire in real time.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host)
    {
        _host = host;
    }

    public ManualTimeProvider Time => (ManualTimeProvider)_host.Services.GetRequiredService<SiloServices>().Time;

    public RecordingPointWriter Writer => (RecordingPointWriter)_host.Services.GetRequiredService<IPointWriter>();

    public RegistryProvider Registry => _host.Services.GetRequiredService<RegistryProvider>();

    public SensorSnapshotCache Snapshots => _host.Services.GetRequiredService<SensorSnapshotCache>();

    public GrainMetrics Metrics => _host.Services.GetRequiredService<GrainMetrics>();

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public static async Task<TestSilo> StartAsync(Action<IServiceCollection>? extra = null, SensorRegistry? registry = null, Action<SiloOptions>? silo = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        IServiceCollection services = builder.Services;
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
        services.AddSingleton<IPointWriter, RecordingPointWriter>();
        services.AddSingleton(new RegistryProvider(registry ?? TestRegistry.Create()));
        services.AddSingleton<SensorSnapshotCache>();
        services.AddSingleton<GrainMetrics>();
        services.AddSingleton(sp => new SiloServices(
            sp.GetRequiredService<RegistryProvider>(),
            sp.GetRequiredService<IPointWriter>(),
            sp.GetRequiredService<SensorSnapshotCache>(),
            sp.GetRequiredService<GrainMetrics>(),
            new GrainReferenceCache(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<RegistryProvider>()),
            Options.Create(new GrainOptions()),
            Options.Create(ConfigureSilo(silo)),
            time,
            sp.GetRequiredService<ILoggerFactory>()));
        extra?.Invoke(services);
        builder.UseOrleans(s =>
        {
            s.UseLocalhostClustering(FreeLoopbackPort(), FreeLoopbackPort(), null, "test", "test");
            s.AddMemoryGrainStorageAsDefault();
        });
        IHost host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TestSilo(host);
    }

    public T Grain<T>(string key)
        where T : IGrainWithStringKey => Grains.GetGrain<T>(key);

    /// <summary>Deactivates every idle activation now (Orleans' management grain), as idle collection would.</summary>
    public Task CollectAllAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    private static SiloOptions ConfigureSilo(Action<SiloOptions>? configure)
    {
        var options = new SiloOptions();
        configure?.Invoke(options);
        return options;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
