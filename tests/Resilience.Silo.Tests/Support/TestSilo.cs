using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Ingest.Storage;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Grains;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Zones;
using Resilience.TestKit;

namespace Resilience.Silo.Tests.Support;

/// <summary>A grain runtime with in-memory storage, a recording point writer and a manual clock.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
    }

    public ManualTimeProvider Time => (ManualTimeProvider)_services.GetRequiredService<TimeProvider>();

    public MemoryGrainStorage Storage => (MemoryGrainStorage)_services.GetRequiredService<IGrainStorage>();

    public RecordingPointWriter Writer => (RecordingPointWriter)_services.GetRequiredService<IPointWriter>();

    public GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();

    public SensorLiveness Liveness => _services.GetRequiredService<SensorLiveness>();

    public RegistryProvider Registry => _services.GetRequiredService<RegistryProvider>();

    public IServiceProvider Services => _services;

    public static TestSilo Create(Action<GrainRuntimeOptions>? configure = null, Action<IServiceCollection>? extra = null, SensorRegistry? registry = null, MemoryGrainStorage? storage = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero)));
        services.Configure<GrainRuntimeOptions>(o => configure?.Invoke(o));
        services.AddSingleton<IGrainStorage>(storage ?? new MemoryGrainStorage());
        services.AddSingleton<IPointWriter, RecordingPointWriter>();
        services.AddSingleton(new RegistryProvider(registry ?? TestRegistry.Create()));
        services.AddSingleton<SensorLiveness>();
        services.AddSingleton<SiloServices>();
        services.AddGrainRuntime();
        services.AddGrain<ISensorGrain, SensorGrain>();
        services.AddGrain<IFloodZoneGrain, FloodZoneGrain>();
        services.AddGrain<IAirStationGrain, AirStationGrain>();
        extra?.Invoke(services);
        return new TestSilo(services.BuildServiceProvider());
    }

    public GrainReference<T> Grain<T>(string key)
        where T : class, IGrainWithStringKey => Runtime.GetGrain<T>(key);

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
