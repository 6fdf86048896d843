using System.ComponentModel.DataAnnotations;

namespace Resilience.Silo.Web;

/// <summary>One emergency-console operator (<c>Resilience:Web:Operators:N</c>).</summary>
public sealed class OperatorAccount
{
    /// <summary>Login name, compared case-insensitively. Required.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._@-]{1,64}$")]
    public string Username { get; set; } = string.Empty;

    /// <summary>
    /// Salted PBKDF2 hash in the form <c>pbkdf2-sha256$iterations$saltBase64$hashBase64</c>, made by
    /// <see cref="OperatorPasswordHasher.Hash(string)"/>. Required; plain passwords are never accepted.
    /// </summary>
    [Required]
    public string PasswordHash { get; set; } = string.Empty;
}
