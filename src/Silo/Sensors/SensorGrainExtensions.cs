using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Sensors;

/// <summary>Orleans-style call sites for <see cref="ISensorGrain"/> references (what a generated proxy would give).</summary>
internal static class SensorGrainExtensions
{
    /// <summary>See <see cref="ISensorGrain.RecordAsync"/>.</summary>
    public static ValueTask<RecordOutcome> RecordAsync(this GrainReference<ISensorGrain> grain, SensorReading reading, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(reading, static (g, r) => g.RecordAsync(r), cancellationToken);

    /// <summary>See <see cref="ISensorGrain.GetViewAsync"/>.</summary>
    public static ValueTask<SensorView?> GetViewAsync(this GrainReference<ISensorGrain> grain, bool includeHistory, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(includeHistory, static (g, h) => g.GetViewAsync(h), cancellationToken);

    /// <summary>See <see cref="ISensorGrain.MarkStaleAsync"/>.</summary>
    public static ValueTask MarkStaleAsync(this GrainReference<ISensorGrain> grain, CancellationToken cancellationToken = default) =>
        grain.InvokeAsync(0, static (g, _) => g.MarkStaleAsync(), cancellationToken);
}
