namespace Resilience.Silo.Hosting;

/// <summary>
/// How the Orleans silo joins its cluster (<c>Resilience:Cluster</c>): alone on localhost clustering (one box,
/// the default), or with Redis membership when a province runs several silos.
/// </summary>
internal sealed class SiloClusterOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Cluster";

    /// <summary>Membership: <c>localhost</c> (default; no server beyond the silo) or <c>redis</c>.</summary>
    public string Provider { get; set; } = "localhost";

    /// <summary>The Redis connection string (StackExchange.Redis syntax, e.g. <c>redis1:6379,password=…</c>); required for <c>redis</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Silo-to-silo port; 0 picks a free port at start (the port is advertised through membership). Default 0.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free port at start. Default 0.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Orleans cluster id (silos with the same id form one cluster). Default <c>resilience</c>.</summary>
    public string ClusterId { get; set; } = "resilience";

    /// <summary>Orleans service id (stable across deployments: grain state is keyed by it). Default <c>resilience</c>.</summary>
    public string ServiceId { get; set; } = "resilience";

    /// <summary>
    /// The address other silos reach this one on (<c>redis</c> only). Default: Orleans picks the host's address.
    /// Set <c>127.0.0.1</c> for several silos on one machine.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long a membership probe may take before it counts as missed. Default 1 s (Orleans: 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected dead. Default 2 (Orleans: 3); with 1 s probes a killed silo's grains re-activate elsewhere in about 3 s.</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>True when <see cref="Provider"/> is <c>redis</c>.</summary>
    public bool IsRedis => string.Equals(Provider, "redis", StringComparison.OrdinalIgnoreCase);
}
