using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Cross-field rules of <see cref="ExternalMqttOptions"/>: valid filters, a group usable in <c>$share/{group}/…</c>.</summary>
internal sealed class ExternalMqttOptionsFilterValidator : IValidateOptions<ExternalMqttOptions>
{
    public ValidateOptionsResult Validate(string? name, ExternalMqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.SharedGroup.Length == 0 || options.SharedGroup.AsSpan().IndexOfAny("+#/") >= 0)
        {
            errors.Add($"{ExternalMqttOptions.SectionName}:SharedGroup '{options.SharedGroup}' must be non-empty without '+', '#' or '/'.");
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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
