using Microsoft.Extensions.Options;
using Resilience.Silo.Grains;
using Resilience.Silo.Registry;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Hosting;

/// <summary>Writes every zone's status to <c>zone_status</c> periodically (changes are written by the zone at once).</summary>
internal sealed partial class ZoneStatusPublisher(
    IGrainFactory grains,
    RegistryProvider registry,
    IOptions<SiloOptions> options,
    TimeProvider time,
    ILogger<ZoneStatusPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ZoneStatusInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (ZoneInfo zone in registry.Current.Zones)
                {
                    try
                    {
                        await grains.GetGrain<IFloodZoneGrain>(zone.Id).PublishStatusAsync(stoppingToken);
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        Log.PublishFailed(logger, zone.Id, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
