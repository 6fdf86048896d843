namespace Resilience.Silo.Zones;

/// <summary>The live status of one flood zone, keyed by zone id.</summary>
[Alias("resilience.zone")]
internal interface IFloodZoneGrain : IGrainWithStringKey
{
    /// <summary>Takes a gauge's new in-order level and updates the zone status.</summary>
    [Alias("report")]
    ValueTask ReportGaugeAsync(GaugeReading reading);

    /// <summary>The zone's current snapshot (null when the zone is not in the registry).</summary>
    [Alias("snapshot")]
    ValueTask<ZoneSnapshot?> GetSnapshotAsync();
}
