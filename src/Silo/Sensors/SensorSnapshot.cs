namespace Resilience.Silo.Sensors;

/// <summary>
/// What a sensor grain hands out: its latest values, quality flags and liveness at one moment, and its last hour
/// when asked (with the time-to-next-alarm nowcast then). Immutable; the HTTP layer (<c>Api/SensorViews</c>) shapes it into JSON.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.sensor-snapshot")]
internal sealed record SensorSnapshot(
    [property: Id(0)] LatestValue[] Latest,
    [property: Id(1)] QualityFlags Flags,
    [property: Id(2)] long LastSeenMs,
    [property: Id(3)] bool StatusOffline,
    [property: Id(4)] HistorySample[]? History,
    [property: Id(5)] long LastTsMs = 0,
    [property: Id(6)] long Duplicates = 0,
    [property: Id(7)] Resilience.Alerts.Evaluation.NextAlarm? NextAlarm = null)
{
    /// <summary>True when the sensor counts as offline at <paramref name="nowMs"/>: its status topic said so, or it
    /// has been silent for 3× its reporting interval (DOMAIN.md §6).</summary>
    public bool IsStale(long nowMs, int reportingIntervalSeconds) =>
        StatusOffline || (LastSeenMs > 0 && nowMs - LastSeenMs > reportingIntervalSeconds * 3000L);
}
