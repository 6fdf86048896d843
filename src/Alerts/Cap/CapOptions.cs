using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Cap;

/// <summary>CAP 1.2 output settings (<c>Resilience:Alerts:Cap</c>).</summary>
internal sealed class CapOptions
{
    /// <summary>CAP sender: no spaces, commas or &lt; &amp;. Default "resilience-ioc@localhost".</summary>
    [Required]
    [RegularExpression(@"^[^\s,<&]+$")]
    public string Sender { get; set; } = "resilience-ioc@localhost";

    /// <summary>Human name of the sender. Default "Resilience IOC".</summary>
    public string SenderName { get; set; } = "Resilience IOC";

    /// <summary>Radius of the circle around a sensor when there is no zone polygon, km. Default 2.</summary>
    [Range(0.01, 500)]
    public double CircleRadiusKm { get; set; } = 2;

    /// <summary>UTC offset of <c>sent</c> and other CAP times (Vietnam, +07:00). Default 07:00:00.</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(7);

    /// <summary>How long an all-clear stays valid. Default 1 h (MET Norway practice, DOMAIN.md §4).</summary>
    public TimeSpan AllClearExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Entries in the Atom feed (open alerts first, then the latest closed ones). Default 100.</summary>
    [Range(1, 1000)]
    public int FeedSize { get; set; } = 100;
}
