using Resilience.Silo.Api;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Zones;

/// <summary>The live status of one flood zone, keyed by zone id.</summary>
internal interface IFloodZoneGrain : IGrainWithStringKey
{
    /// <summary>Takes a gauge's new in-order level and updates the zone status.</summary>
    ValueTask ReportGaugeAsync(GaugeReading reading);

    /// <summary>Writes the current status to <c>zone_status</c> (called periodically).</summary>
    ValueTask PublishStatusAsync();

    /// <summary>The zone's current view (null when the zone is not in the registry).</summary>
    ValueTask<ZoneView?> GetViewAsync();
}
