using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>Validates every operator account (annotations plus a parseable hash, unique names) at start.</summary>
internal sealed class WebPagesOptionsValidator : IValidateOptions<WebPagesOptions>
{
    public ValidateOptionsResult Validate(string? name, WebPagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < options.Operators.Count; i++)
        {
            OperatorAccount account = options.Operators[i];
            string prefix = $"{WebPagesOptions.SectionName}:Operators:{i}";
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(account, new ValidationContext(account), results, validateAllProperties: true))
            {
                foreach (ValidationResult result in results)
                {
                    failures.Add($"{prefix}: {result.ErrorMessage}");
                }

                continue;
            }

            if (!OperatorPasswordHasher.IsWellFormed(account.PasswordHash))
            {
                failures.Add($"{prefix}:PasswordHash is not 'pbkdf2-sha256$iterations$salt$hash' with at least {OperatorPasswordHasher.MinimumIterations} iterations (make one with OperatorPasswordHasher, see dashboards/README.md).");
            }

            if (!seen.Add(account.Username))
            {
                failures.Add($"{prefix}:Username '{account.Username}' appears twice.");
            }
        }

        for (int i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!System.Net.IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{WebPagesOptions.SectionName}:KnownProxies:{i} '{options.KnownProxies[i]}' is not an IP address.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
