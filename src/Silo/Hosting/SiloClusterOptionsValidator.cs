using System.Net;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Storage;

namespace Resilience.Silo.Hosting;

/// <summary>
/// Validates <see cref="SiloClusterOptions"/> together with <see cref="StorageOptions"/>: a cluster keeps its
/// grain state and alert ledger in one shared database, so a cluster on SQLite (files local to each silo, which
/// would split the state) is refused, as is Redis without a connection string.
/// </summary>
internal sealed class SiloClusterOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<SiloClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloClusterOptions options) => Check(options, storage.Value);

    /// <summary>The validation itself (also run while the silo is being built, before the host validates options).</summary>
    public static ValidateOptionsResult Check(SiloClusterOptions options, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        const string S = SiloClusterOptions.SectionName;
        var errors = new List<string>();
        bool redis = options.IsRedis;
        if (!redis && !string.Equals(options.Provider, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{S}:Provider must be 'localhost' or 'redis', not '{options.Provider}'.");
        }

        if (redis && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{S}:Provider is 'redis' but {S}:ConnectionString is empty; set it to the Redis server used for membership, e.g. 'redis1:6379'.");
        }

        if (redis && storage.Provider != StorageProvider.Postgres)
        {
            errors.Add(
                $"{S}:Provider is 'redis' (a cluster) but {StorageOptions.SectionName}:Provider is '{storage.Provider.ToString().ToLowerInvariant()}'. " +
                "A cluster on SQLite would split grain state and alerts between the silos' own files: set " +
                $"{StorageOptions.SectionName}:Provider=postgres and {StorageOptions.SectionName}:ConnectionString.");
        }

        if (options.SiloPort is < 0 or > 65535)
        {
            errors.Add($"{S}:SiloPort must be 0 (a free port) or 1–65535, not {options.SiloPort}.");
        }

        if (options.GatewayPort is < 0 or > 65535)
        {
            errors.Add($"{S}:GatewayPort must be 0 (a free port) or 1–65535, not {options.GatewayPort}.");
        }

        if (options.SiloPort != 0 && options.SiloPort == options.GatewayPort)
        {
            errors.Add($"{S}:SiloPort and {S}:GatewayPort must differ (both are {options.SiloPort}).");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add($"{S}:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            errors.Add($"{S}:ServiceId must not be empty.");
        }

        if (options.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            errors.Add($"{S}:AdvertisedAddress must be an IP address, not '{address}'.");
        }

        if (options.ProbeTimeout < TimeSpan.FromMilliseconds(100) || options.ProbeTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{S}:ProbeTimeout must be between 00:00:00.1 and 00:01:00, not {options.ProbeTimeout}.");
        }

        if (options.NumMissedProbesLimit is < 1 or > 10)
        {
            errors.Add($"{S}:NumMissedProbesLimit must be between 1 and 10, not {options.NumMissedProbesLimit}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
