using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Hosting;

/// <summary>Process-wide silo settings (<c>Resilience</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience";

    /// <summary>Data directory (SQLite grain state, spool, dead letters). Default <c>./data</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary><c>silo</c> (everything) or <c>broker</c> (only the embedded MQTT broker). Default <c>silo</c>.</summary>
    [Required]
    [RegularExpression("^(silo|broker)$", ErrorMessage = "Resilience:Mode must be 'silo' or 'broker'.")]
    public string Mode { get; set; } = "silo";

    /// <summary>How often each active zone grain writes its status to <c>zone_status</c> even without change (its
    /// grain timer). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ZoneStatusInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True in broker-only mode.</summary>
    public bool IsBrokerOnly => string.Equals(Mode, "broker", StringComparison.Ordinal);
}
