using Microsoft.Extensions.Options;
using Resilience.Ingest.Storage;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Hosting;

/// <summary>
/// Runs the runtime's idle/checkpoint sweep and, at shutdown, drains every mailbox, deactivates every grain
/// (writing state), then flushes grain storage and the point writer. Registered before the other services so
/// it stops after them (ingest stops first).
/// </summary>
internal sealed partial class GrainRuntimeHostedService(
    GrainRuntime runtime,
    IGrainStorage storage,
    IPointWriter writer,
    IOptions<GrainRuntimeOptions> options,
    TimeProvider time,
    ILogger<GrainRuntimeHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    runtime.Sweep();
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        long started = time.GetTimestamp();
        int active = runtime.ActivationCount;
        await runtime.StopAsync(cancellationToken);
        await storage.FlushAsync(cancellationToken);
        await writer.FlushAsync(cancellationToken);
        double elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
        Log.Drained(logger, active, elapsedMs);
    }
}
