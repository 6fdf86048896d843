namespace Resilience.Benchmarks.Alerts;

/// <summary><c>alert-latency [transitions]</c>: lifecycle commit → webhook received, at the alerts layer (see <see cref="AlertLatencyRun"/>).</summary>
public sealed class AlertLatencyCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "alert-latency";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args) => AlertLatencyRun.RunAsync(args);
}
