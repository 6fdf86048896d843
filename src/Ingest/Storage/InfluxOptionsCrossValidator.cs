using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Storage;

/// <summary>Cross-field checks of <see cref="InfluxOptions"/>, naming the bad key.</summary>
internal sealed class InfluxOptionsCrossValidator : IValidateOptions<InfluxOptions>
{
    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        List<string>? failures = null;
        if (!string.IsNullOrWhiteSpace(options.Url)
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            (failures ??= []).Add($"{InfluxOptions.SectionName}:Url '{options.Url}' is not an absolute http(s) URL.");
        }

        if (options.ApiVersion == InfluxApiVersion.V2 && !string.IsNullOrWhiteSpace(options.Url) && string.IsNullOrWhiteSpace(options.Org))
        {
            (failures ??= []).Add($"{InfluxOptions.SectionName}:Org is required when ApiVersion is V2.");
        }

        if (options.Spool.MaxBytes < 4L * options.BatchBytes)
        {
            (failures ??= []).Add($"{InfluxOptions.SectionName}:Spool:MaxBytes ({options.Spool.MaxBytes}) must be at least 4 x BatchBytes ({options.BatchBytes}).");
        }

        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            (failures ??= []).Add($"{InfluxOptions.SectionName}:RetryMaxDelay must not be below RetryInitialDelay.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
