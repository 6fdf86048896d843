using Microsoft.Extensions.Options;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Hosting;

/// <summary>One periodic sweep marks sensors offline after 3× their reporting interval without data.</summary>
internal sealed partial class LivenessSweepService(
    SensorLiveness liveness,
    IOptions<SiloOptions> options,
    TimeProvider time,
    ILogger<LivenessSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LivenessSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int offline = liveness.Sweep();
                    if (offline > 0)
                    {
                        Log.WentOffline(logger, offline);
                    }
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
}
