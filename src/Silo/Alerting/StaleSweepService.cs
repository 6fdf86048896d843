using Microsoft.Extensions.Options;
using Resilience.Silo.Grains;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Alerting;

/// <summary>
/// Feeds the offline rule: every <see cref="SiloOptions.LivenessSweepInterval"/> it looks at the liveness table and
/// tells each sensor that went offline since the last pass (and was heard from at least once) that it is stale;
/// the sensor grain evaluates its rules on a <c>Stale</c> reading. The next reading clears it.
/// </summary>
internal sealed partial class StaleSweepService(
    SensorLiveness liveness,
    RegistryProvider registry,
    IGrainFactory grains,
    IOptions<SiloOptions> options,
    TimeProvider time,
    ILogger<StaleSweepService> logger) : BackgroundService
{
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LivenessSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: marks newly offline sensors stale.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (SensorInfo sensor in registry.Current.Sensors)
        {
            (byte state, long lastSeenMs) = liveness.Get(sensor);
            if (state != SensorLiveness.Offline || lastSeenMs <= 0)
            {
                _stale.Remove(sensor.Id);
                continue;
            }

            if (!_stale.Add(sensor.Id))
            {
                continue;
            }

            try
            {
                await grains.GetGrain<ISensorGrain>(sensor.Id).MarkStaleAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _stale.Remove(sensor.Id);
                Log.StaleFailed(logger, sensor.Id, ex);
            }
        }
    }
}
