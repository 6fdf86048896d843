using Microsoft.Extensions.Options;
using Resilience.Ingest.Health;

namespace Resilience.Silo.Hosting;

/// <summary>Reports <c>disk</c> as degraded when the data directory's file system has less free space than configured.</summary>
internal sealed class DiskSpaceHealth : IHealthContributor
{
    private readonly string _directory;
    private readonly long _minFreeBytes;

    public DiskSpaceHealth(IOptions<SiloOptions> silo, IOptions<HealthOptions> health)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(health);
        _directory = Path.GetFullPath(silo.Value.DataDirectory);
        _minFreeBytes = health.Value.MinFreeDiskMegabytes * 1024 * 1024;
    }

    public HealthContribution Check()
    {
        long free;
        try
        {
            Directory.CreateDirectory(_directory);
            free = new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new HealthContribution("disk", HealthStatus.Degraded, $"cannot read free space of {_directory}: {ex.Message}");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["freeBytes"] = free,
            ["minFreeBytes"] = _minFreeBytes,
        };
        return free < _minFreeBytes
            ? new HealthContribution("disk", HealthStatus.Degraded, $"{free / (1024 * 1024)} MiB free in the data directory's file system, below the {_minFreeBytes / (1024 * 1024)} MiB threshold", data)
            : new HealthContribution("disk", HealthStatus.Ok, null, data);
    }
}
