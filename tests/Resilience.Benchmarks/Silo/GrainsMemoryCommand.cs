using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Resilience.Alerts.Api;
using Resilience.Ingest.Pipeline;
using Resilience.Ingest.Storage;
using Resilience.Silo.Alerting;
using Resilience.Silo.Hosting;
using Resilience.Silo.Persistence;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.TestKit;

namespace Resilience.Benchmarks.Silo;

/// <summary>
/// <c>grains-memory [sensors=100000] [restore=20000] [rules=0]</c>: on a real Orleans silo in this process, managed
/// memory and RSS per idle sensor grain (each activated by one reading) with that many registered sensors; then the
/// time to drain <c>restore</c> grains into the SQLite grain storage at shutdown and to restore them after a
/// restart (with 0, those and the timed stop are skipped). With <c>rules=1</c> the grains also load their alert rules (offline and suspect for a
/// weather sensor) from a real alert service over SQLite, as in the silo. Figures are from GC.GetTotalMemory after
/// full collections; noisy on a shared machine. <c>RESILIENCE_GRAINS_MEMORY_HOLD=seconds</c> keeps the idle grains
/// alive that long after the figure is printed (for <c>dotnet-gcdump collect -p PID</c>).
/// </summary>
public sealed class GrainsMemoryCommand : ILoadCommand
{
    public string Name => "grains-memory";

    public async Task<int> RunAsync(string[] args)
    {
        int sensors = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int restore = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        bool rules = args.Length > 2 && args[2] is "1" or "rules";

        long beforeRegistry = Collect();
        SensorRegistry registry = BuildRegistry(sensors);
        long afterRegistry = Collect();
        Console.WriteLine($"registry: {sensors:N0} sensors, {(afterRegistry - beforeRegistry) / (double)sensors:F0} B per registered sensor");

        using (var dir = new TempDirectory("grains-memory"))
        {
            IHost host = await StartAsync(registry, dir.Path, memoryStorage: true, rules);
            long before = Collect();
            long rssBefore = Environment.WorkingSet;
            var sw = Stopwatch.StartNew();
            await ActivateAsync(host, registry, sensors);
            double activateSeconds = sw.Elapsed.TotalSeconds;
            long after = Collect();
            Process.GetCurrentProcess().Refresh();
            long rss = Environment.WorkingSet;
            GrainMetrics metrics = host.Services.GetRequiredService<GrainMetrics>();
            Console.WriteLine($"grains: {metrics.Active:N0} active sensor grains (one reading each) in {activateSeconds:F1} s ({sensors / activateSeconds:F0}/s), "
                + $"{(after - before) / (double)sensors:F0} B managed per idle grain (Orleans activation, grain, state, timer, snapshot), "
                + $"RSS {rss / 1048576.0:F0} MB ({(rss - rssBefore) / (double)sensors:F0} B per grain){(rules ? ", with alert rules" : string.Empty)}");
            if (int.TryParse(Environment.GetEnvironmentVariable("RESILIENCE_GRAINS_MEMORY_HOLD"), CultureInfo.InvariantCulture, out int hold) && hold > 0)
            {
                Console.WriteLine($"holding {hold} s: pid {Environment.ProcessId}");
                await Task.Delay(TimeSpan.FromSeconds(hold));
            }

            if (restore <= 0)
            {
                // Memory only: leave without deactivating the grains one by one (minutes at 100,000 on this machine).
                Console.WriteLine("stop: skipped (restore=0)");
                dir.Dispose();
                Environment.Exit(0);
            }

            sw.Restart();
            await host.StopAsync(CancellationToken.None);
            Console.WriteLine($"stop: {sensors:N0} activations deactivated in {sw.Elapsed.TotalSeconds:F1} s");
            host.Dispose();
            GC.KeepAlive(registry);
        }

        using var restoreDir = new TempDirectory("grains-restore");
        SensorRegistry small = BuildRegistry(restore);
        IHost first = await StartAsync(small, restoreDir.Path, memoryStorage: false);
        await ActivateAsync(first, small, restore);
        var drain = Stopwatch.StartNew();
        await first.StopAsync(CancellationToken.None);
        Console.WriteLine($"drain: {restore:N0} grains deactivated and written to SQLite in {drain.Elapsed.TotalSeconds:F2} s");
        first.Dispose();

        IHost second = await StartAsync(small, restoreDir.Path, memoryStorage: false);
        IGrainFactory grains = second.Services.GetRequiredService<IGrainFactory>();
        var sw2 = Stopwatch.StartNew();
        int restored = 0;
        await Parallel.ForEachAsync(small.Sensors, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (s, _) =>
        {
            if ((await grains.GetGrain<ISensorGrain>(s.Id).GetSnapshotAsync(false))?.Latest.Length > 0)
            {
                Interlocked.Increment(ref restored);
            }
        });
        Console.WriteLine($"restore: {restored:N0} of {restore:N0} grains activated with their state from SQLite in {sw2.Elapsed.TotalSeconds:F2} s");
        await second.StopAsync(CancellationToken.None);
        second.Dispose();
        return 0;
    }

    private static async Task ActivateAsync(IHost host, SensorRegistry registry, int count)
    {
        IGrainFactory grains = host.Services.GetRequiredService<IGrainFactory>();
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, _) =>
        {
            var reading = new SensorReading(ts, 1, [new QuantityValue(Quantity.Temperature, 25.5)]);
            await grains.GetGrain<ISensorGrain>(registry.Sensors[i].Id).RecordAsync(reading);
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

    private static async Task<IHost> StartAsync(SensorRegistry registry, string dataDirectory, bool memoryStorage, bool rules = false)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (rules)
        {
            builder.Configuration["Resilience:DataDirectory"] = dataDirectory;
            builder.AddAlerts();
            builder.Services.AddSiloAlerting();
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        builder.Services.AddSingleton<IPointWriter, CountingPointWriter>();
        builder.Services.AddSingleton(new RegistryProvider(registry));
        builder.Services.AddSingleton<SensorSnapshotCache>();
        builder.Services.AddSingleton<GrainMetrics>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(new GrainOptions()));
        builder.Services.AddSingleton(Options.Create(new Resilience.Silo.Hosting.SiloOptions { DataDirectory = dataDirectory }));
        builder.Services.AddSingleton<SiloServices>();
        builder.Services.AddSingleton(sp => new RelationalGrainStorage(Resilience.Alerts.Storage.StateDatabase.Create(new Resilience.Alerts.Storage.StorageOptions(), Path.Combine(dataDirectory, "grains.db")), sp.GetRequiredService<Serializer>(), sp.GetRequiredService<ILogger<RelationalGrainStorage>>()));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreeLoopbackPort(), FreeLoopbackPort(), null, "bench", "bench");
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(1));

            // 256 activations at a time on a shared 2-core machine can take longer than Orleans' default 30 s answer.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
            if (memoryStorage)
            {
                silo.AddMemoryGrainStorageAsDefault();
            }
            else
            {
                silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, static (sp, _) => sp.GetRequiredService<RelationalGrainStorage>());
            }
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
