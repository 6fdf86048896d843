using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Hosting;

/// <summary>How the Orleans silo joins its cluster (<c>Resilience:Cluster</c>).</summary>
public sealed class SiloClusterOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Cluster";

    /// <summary>Membership provider: <c>localhost</c> (one box, no server beyond the silo). Default <c>localhost</c>.</summary>
    [Required]
    [RegularExpression("^localhost$", ErrorMessage = "Resilience:Cluster:Provider must be 'localhost' in this build.")]
    public string Provider { get; set; } = "localhost";

    /// <summary>Silo-to-silo port on 127.0.0.1; 0 picks a free port at start (one box needs no fixed one). Default 0.</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>Client gateway port on 127.0.0.1; 0 picks a free port at start. Default 0.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>Orleans cluster id (silos with the same id form one cluster). Default <c>resilience</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "resilience";

    /// <summary>Orleans service id (stable across deployments: grain state is keyed by it). Default <c>resilience</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "resilience";
}
