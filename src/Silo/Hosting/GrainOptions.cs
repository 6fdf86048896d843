using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Hosting;

/// <summary>How the silo's grains live and persist (<c>Resilience:Grains</c>).</summary>
public sealed class GrainOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Grains";

    /// <summary>
    /// An activation with no call for this long is collected (Orleans <c>GrainCollectionOptions.CollectionAge</c>)
    /// and writes its state on the way out. Default 30 minutes: an idle activation costs about 2 KB, so 100,000
    /// sensors that report every few minutes stay resident and silent ones leave.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A busy grain writes its state at least this often (crash safety). Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Grain calls the ingest sink keeps in flight at once across all connections (each connection already waits
    /// for its previous message). When full, publishers wait: backpressure instead of an unbounded queue. Default 1024.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxIngestCallsInFlight { get; set; } = 1024;

    /// <summary>
    /// In a cluster (grain state on PostgreSQL), how often each silo stores the sensor snapshots its grains changed
    /// and merges those of the other silos, so every silo's listing shows every sensor. Default 500 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan SnapshotExchangeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How far behind the newest stored snapshot each exchange reads again, so a row committed late, or stamped by
    /// a silo whose clock is behind, is still merged. Silo clocks must agree better than this. Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SnapshotExchangeWindow { get; set; } = TimeSpan.FromSeconds(10);
}
