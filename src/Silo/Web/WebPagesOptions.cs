using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Web;

/// <summary>Options of the residents' page, the emergency console and the operator login (<c>Resilience:Web</c>).</summary>
public sealed class WebPagesOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Web";

    /// <summary>Operator accounts allowed into <c>/ops</c>. Default: none (the console then refuses every login).</summary>
    public IList<OperatorAccount> Operators { get; } = [];

    /// <summary>Failed logins per client address (IPv6 by /64) before the growing delay starts. Default 5.</summary>
    [Range(1, 1000)]
    public int FreeAttemptsPerAddress { get; set; } = 5;

    /// <summary>Longest wait an address is given after repeated failures, in seconds. Default 900 (15 min).</summary>
    [Range(1, 86_400)]
    public int MaxAddressDelaySeconds { get; set; } = 900;

    /// <summary>Failed logins per user name (from anywhere) before the growing delay starts. Default 5.</summary>
    [Range(1, 1000)]
    public int FreeAttemptsPerUser { get; set; } = 5;

    /// <summary>
    /// Longest wait a user name is given after repeated failures, in seconds. Default 30: short, because anyone can
    /// cause it; addresses the operator signed in from before are not held back by it at all.
    /// </summary>
    [Range(1, 3600)]
    public int MaxUserDelaySeconds { get; set; } = 30;

    /// <summary>Minutes without failures after which an address's or a name's count starts again. Default 60.</summary>
    [Range(1, 10_080)]
    public int ThrottleMemoryMinutes { get; set; } = 60;

    /// <summary>Days an address stays trusted for a user after a successful login. Default 30.</summary>
    [Range(1, 365)]
    public int TrustedAddressDays { get; set; } = 30;

    /// <summary>Most addresses, names and trusted pairs the throttle tracks (each table). Default 10000.</summary>
    [Range(10, 1_000_000)]
    public int MaxTrackedEntries { get; set; } = 10_000;

    /// <summary>
    /// Reverse proxies (IP addresses) whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed, so that
    /// cookies are <c>Secure</c> behind a TLS-terminating proxy and throttling sees the real client. Default none:
    /// the headers are ignored.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Lifetime of an operator session cookie, in minutes (sliding). Default 480 (one shift).</summary>
    [Range(1, 10_080)]
    public int SessionMinutes { get; set; } = 480;

    /// <summary>
    /// How long a silo trusts its last look at the shared logouts for a session, in milliseconds: a logout on another
    /// silo is refused here within about this long. 0 asks the database on every request. Default 1000.
    /// </summary>
    [Range(0, 60_000)]
    public int SessionCheckMilliseconds { get; set; } = 1000;

    /// <summary>Longest life of an operator session whatever its sliding renewals, in hours. Default 24.</summary>
    [Range(1, 720)]
    public int SessionAbsoluteHours { get; set; } = 24;
}
