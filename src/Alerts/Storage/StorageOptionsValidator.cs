using Microsoft.Extensions.Options;

namespace Resilience.Alerts.Storage;

/// <summary>Refuses <c>postgres</c> without a connection string, and a connection string Npgsql cannot parse.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:Provider must be 'sqlite' or 'postgres'.");
        }

        if (options.Provider != StorageProvider.Postgres)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:Provider is 'postgres' but {StorageOptions.SectionName}:ConnectionString is empty; " +
                "set it to an Npgsql connection string such as 'Host=db;Username=resilience;Password=…;Database=resilience'.");
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
