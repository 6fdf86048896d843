using Resilience.Silo.Hosting;
using Resilience.Silo.Persistence;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Sensors;

/// <summary>
/// At start, fills <see cref="SensorSnapshotCache"/> from the stored sensor states (one scan of grain storage, no
/// activation), so the listing shows the last known values after a restart. Sensors that were live when the silo
/// stopped get their grain activated, which re-arms the staleness timer: a sensor that never reports again is
/// still marked stale and raises its offline alert.
/// </summary>
internal sealed partial class SensorSnapshotWarmup(
    IGrainStateScan scan,
    SensorSnapshotCache cache,
    RegistryProvider registry,
    IGrainFactory grains,
    SiloServices services,
    ILogger<SensorSnapshotWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var live = new List<string>();
            int warmed = 0;
            await foreach (KeyValuePair<string, SensorState> stored in scan.ScanAsync<SensorState>(SensorGrain.StateName, stoppingToken))
            {
                string id = stored.Key[(stored.Key.IndexOf('/', StringComparison.Ordinal) + 1)..];
                if (!registry.Current.TryGetSensor(id, out SensorInfo? sensor))
                {
                    continue;
                }

                SensorState s = stored.Value;
                var snapshot = new SensorSnapshot(s.Latest, s.Flags, s.LastSeenMs, s.StatusOffline, null);
                cache.Warm(id, snapshot);
                warmed++;
                if (s.LastSeenMs > 0 && !snapshot.IsStale(services.NowMs, sensor.ReportingIntervalSeconds))
                {
                    live.Add(id);
                }
            }

            await Parallel.ForEachAsync(live, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken }, async (id, _) =>
                await grains.GetGrain<ISensorGrain>(id).GetSnapshotAsync(includeHistory: false));
            Log.Warmed(logger, warmed, live.Count);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.WarmupFailed(logger, ex);
        }
    }
}
