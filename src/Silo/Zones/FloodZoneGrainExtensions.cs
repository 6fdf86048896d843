using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Zones;

/// <summary>Orleans-style call sites for <see cref="IFloodZoneGrain"/> references.</summary>
internal static class FloodZoneGrainExtensions
{
    /// <summary>See <see cref="IFloodZoneGrain.ReportGaugeAsync"/>.</summary>
    public static ValueTask ReportGaugeAsync(this GrainReference<IFloodZoneGrain> grain, GaugeReading reading, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(reading, static (g, r) => g.ReportGaugeAsync(r), cancellationToken);

    /// <summary>See <see cref="IFloodZoneGrain.PublishStatusAsync"/>.</summary>
    public static ValueTask PublishStatusAsync(this GrainReference<IFloodZoneGrain> grain, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(0, static (g, _) => g.PublishStatusAsync(), cancellationToken);

    /// <summary>See <see cref="IFloodZoneGrain.GetViewAsync"/>.</summary>
    public static ValueTask<ZoneView?> GetViewAsync(this GrainReference<IFloodZoneGrain> grain, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(0, static (g, _) => g.GetViewAsync(), cancellationToken);
}
