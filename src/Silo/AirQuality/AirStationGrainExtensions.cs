using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.AirQuality;

/// <summary>Orleans-style call sites for <see cref="IAirStationGrain"/> references.</summary>
internal static class AirStationGrainExtensions
{
    /// <summary>See <see cref="IAirStationGrain.RecordAsync"/>.</summary>
    public static ValueTask RecordAsync(this GrainReference<IAirStationGrain> grain, AirSample sample, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(sample, static (g, s) => g.RecordAsync(s), cancellationToken);

    /// <summary>See <see cref="IAirStationGrain.GetViewAsync"/>.</summary>
    public static ValueTask<AirQualityView?> GetViewAsync(this GrainReference<IAirStationGrain> grain, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(0, static (g, _) => g.GetViewAsync(), cancellationToken);
}
