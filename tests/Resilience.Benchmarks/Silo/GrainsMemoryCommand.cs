using System.Diagnostics;
using System.Globalization;
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

namespace Resilience.Benchmarks.Silo;

/// <summary>
/// <c>grains-memory [sensors=1000000] [restore=100000]</c>: managed memory per idle sensor grain (each activated by
/// one reading) with that many registered sensors, then the time to restore <c>restore</c> grains' state from
/// SQLite after a restart. Figures are from GC.GetTotalMemory after full collections; noisy on a shared machine.
/// </summary>
public sealed class GrainsMemoryCommand : ILoadCommand
{
    public string Name => "grains-memory";

    public async Task<int> RunAsync(string[] args)
    {
        int sensors = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        int restore = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;

        long beforeRegistry = Collect();
        SensorRegistry registry = BuildRegistry(sensors);
        long afterRegistry = Collect();
        Console.WriteLine($"registry: {sensors:N0} sensors, {(afterRegistry - beforeRegistry) / (double)sensors:F0} B per registered sensor");

        await using (ServiceProvider sp = Build(registry, new MemoryGrainStorage()))
        {
            GrainRuntime runtime = sp.GetRequiredService<GrainRuntime>();
            _ = sp.GetRequiredService<SensorLiveness>();
            long before = Collect();
            var sw = Stopwatch.StartNew();
            await ActivateAsync(runtime, registry, sensors);
            double activateSeconds = sw.Elapsed.TotalSeconds;
            long after = Collect();
            Console.WriteLine($"grains: {runtime.ActivationCount:N0} active sensor grains (one reading each) in {activateSeconds:F1} s, {(after - before) / (double)sensors:F0} B per idle grain (activation, grain, state, one history value, directory entry)");
            GC.KeepAlive(registry);
        }

        using var dir = new TempDirectory("grains-restore");
        SensorRegistry small = BuildRegistry(restore);
        await using (ServiceProvider sp = Build(small, null, dir.Path))
        {
            GrainRuntime runtime = sp.GetRequiredService<GrainRuntime>();
            await ActivateAsync(runtime, small, restore);
            var sw = Stopwatch.StartNew();
            await runtime.StopAsync(CancellationToken.None);
            await sp.GetRequiredService<IGrainStorage>().FlushAsync(CancellationToken.None);
            Console.WriteLine($"drain: {restore:N0} grains deactivated and written to SQLite in {sw.Elapsed.TotalSeconds:F2} s");
        }

        await using (ServiceProvider sp = Build(small, null, dir.Path))
        {
            GrainRuntime runtime = sp.GetRequiredService<GrainRuntime>();
            var sw = Stopwatch.StartNew();
            int restored = 0;
            await Parallel.ForEachAsync(small.Sensors, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (s, ct) =>
            {
                if ((await runtime.GetGrain<ISensorGrain>(s.Id).GetViewAsync(false, ct))?.Values.Count > 0)
                {
                    Interlocked.Increment(ref restored);
                }
            });
            Console.WriteLine($"restore: {restored:N0} of {restore:N0} grains activated with their state from SQLite in {sw.Elapsed.TotalSeconds:F2} s");
            await runtime.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    private static async Task ActivateAsync(GrainRuntime runtime, SensorRegistry registry, int count)
    {
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var reading = new SensorReading(ts, 1, [new QuantityValue(Quantity.Temperature, 25.5)]);
            await runtime.GetGrain<ISensorGrain>(registry.Sensors[i].Id).RecordAsync(reading, ct);
        });
    }

    private static SensorRegistry BuildRegistry(int n)
    {
        var sensors = new List<SensorInfo>(n);
        for (int i = 0; i < n; i++)
        {
            sensors.Add(new SensorInfo("s-" + i.ToString(CultureInfo.InvariantCulture), "hanoi", SensorKind.Weather, "Weather " + i.ToString(CultureInfo.InvariantCulture), "Cầu Giấy", null, 21.03, 105.79, 300, null, QualityLimits.DefaultFor(SensorKind.Weather)) { Ordinal = i });
        }

        return new SensorRegistry([new ProvinceInfo("hanoi", "Hà Nội")], [], sensors, "synthetic");
    }

    private static ServiceProvider Build(SensorRegistry registry, MemoryGrainStorage? memory, string? dataDirectory = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.Configure<GrainRuntimeOptions>(_ => { });
        if (memory is not null)
        {
            services.AddSingleton<IGrainStorage>(memory);
        }
        else
        {
            services.AddSingleton<IGrainStorage>(sp => new SqliteGrainStorage(dataDirectory!, sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        }

        services.AddSingleton<IPointWriter, CountingPointWriter>();
        services.AddSingleton(new RegistryProvider(registry));
        services.AddSingleton<SensorLiveness>();
        services.AddSingleton<SiloServices>();
        services.AddGrainRuntime();
        services.AddGrain<ISensorGrain, SensorGrain>();
        services.AddGrain<IFloodZoneGrain, FloodZoneGrain>();
        services.AddGrain<IAirStationGrain, AirStationGrain>();
        return services.BuildServiceProvider();
    }

    private static long Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class CountingPointWriter : IPointWriter
    {
        private long _points;

        public bool TryWrite(in PointData point)
        {
            Interlocked.Increment(ref _points);
            return true;
        }

        public ValueTask WaitToWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
