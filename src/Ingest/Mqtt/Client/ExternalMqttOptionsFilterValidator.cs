using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Cross-field rules of <see cref="ExternalMqttOptions"/>: valid filters, a group usable in <c>$share/{group}/…</c>, sane delays, an existing CA file.</summary>
internal sealed class ExternalMqttOptionsFilterValidator : IValidateOptions<ExternalMqttOptions>
{
    public ValidateOptionsResult Validate(string? name, ExternalMqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.SharedGroup.AsSpan().IndexOfAny("+#/") >= 0)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:SharedGroup '{options.SharedGroup}' must not contain '+', '#' or '/'.");
        }

        foreach (string topic in options.EffectiveTopics)
        {
            if (!MqttTopicValidator.IsValidFilter(topic) || topic.StartsWith("$share/", StringComparison.Ordinal))
            {
                errors.Add($"{ExternalMqttOptions.SectionName}:Topics '{topic}' is not a valid topic filter (without $share, which is added).");
            }
        }

        if (options.Password is { Length: > 0 } && string.IsNullOrEmpty(options.Username) && options.ProtocolVersion == 4)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:Password needs a Username with MQTT 3.1.1.");
        }

        if (options.ReconnectInitialDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:ReconnectInitialDelay must be positive and at most ReconnectMaxDelay.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:Timeout must be positive.");
        }

        if (options.TlsCaFile.Length > 0 && !options.Tls)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:TlsCaFile is set but Tls is false.");
        }
        else if (options.TlsCaFile.Length > 0 && !File.Exists(options.TlsCaFile))
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:TlsCaFile '{options.TlsCaFile}' does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
