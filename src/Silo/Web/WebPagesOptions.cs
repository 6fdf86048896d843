using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Web;

/// <summary>Options of the residents' page, the emergency console and the operator login (<c>Resilience:Web</c>).</summary>
public sealed class WebPagesOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Web";

    /// <summary>Operator accounts allowed into <c>/ops</c>. Default: none (the console then refuses every login).</summary>
    public IList<OperatorAccount> Operators { get; } = [];

    /// <summary>Failed logins in a row after which an account is locked. Default 5.</summary>
    [Range(1, 1000)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account stays locked, in seconds. Default 300.</summary>
    [Range(1, 86_400)]
    public int LockoutSeconds { get; set; } = 300;

    /// <summary>Lifetime of an operator session cookie, in minutes (sliding). Default 480 (one shift).</summary>
    [Range(1, 10_080)]
    public int SessionMinutes { get; set; } = 480;
}
