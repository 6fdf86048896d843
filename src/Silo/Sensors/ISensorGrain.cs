using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Sensors;

/// <summary>The live model of one sensor, keyed by sensor id.</summary>
internal interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>Applies one reading: dedupe, ordering, quality checks, storage, zone/air-quality hand-off.</summary>
    ValueTask<RecordOutcome> RecordAsync(SensorReading reading);

    /// <summary>The sensor's current view; with the last hour when <paramref name="includeHistory"/>.</summary>
    ValueTask<SensorView?> GetViewAsync(bool includeHistory);

    /// <summary>The liveness sweep found the sensor silent: evaluates its rules on a reading flagged stale.</summary>
    ValueTask MarkStaleAsync();
}
