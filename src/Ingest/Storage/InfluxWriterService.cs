using Microsoft.Extensions.Hosting;

namespace Resilience.Ingest.Storage;

/// <summary>Runs the writer's background loops for the host's lifetime; a graceful stop flushes.</summary>
internal sealed class InfluxWriterService(InfluxPointWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync(cancellationToken);
}
