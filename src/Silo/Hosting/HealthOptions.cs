using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Hosting;

/// <summary>Thresholds of <c>/health</c> (<c>Resilience:Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Health";

    /// <summary>
    /// Free space in the data directory's file system below which <c>/health</c> reports <c>degraded</c>, in MiB.
    /// Default 512 (room for the spool, the dead letters and the SQLite files to keep working while someone acts).
    /// </summary>
    [Range(0, 100L * 1024 * 1024)]
    public long MinFreeDiskMegabytes { get; set; } = 512;
}
