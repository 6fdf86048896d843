using System.Net;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Start-up checks the annotations cannot express; each failure names the key.</summary>
internal sealed class MqttBrokerOptionsValidator : IValidateOptions<MqttBrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttBrokerOptions options)
    {
        var failures = new List<string>();
        const string Prefix = MqttBrokerOptions.SectionName + ":";
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"{Prefix}BindAddress '{options.BindAddress}' is not an IP address.");
        }

        if (!string.IsNullOrEmpty(options.TlsCertificatePath) && !File.Exists(options.TlsCertificatePath))
        {
            failures.Add($"{Prefix}TlsCertificatePath '{options.TlsCertificatePath}' does not exist.");
        }

        if (!string.IsNullOrEmpty(options.PasswordFile) && !File.Exists(options.PasswordFile))
        {
            failures.Add($"{Prefix}PasswordFile '{options.PasswordFile}' does not exist.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}ConnectTimeout must be positive.");
        }

        for (int i = 0; i < options.Users.Count; i++)
        {
            if (string.IsNullOrEmpty(options.Users[i].UserName))
            {
                failures.Add($"{Prefix}Users:{i}:UserName is empty.");
            }
        }

        for (int i = 0; i < options.Acl.Count; i++)
        {
            string topic = options.Acl[i].Topic;
            string probe = topic.Replace("%u", "u", StringComparison.Ordinal).Replace("%c", "c", StringComparison.Ordinal);
            if (!MqttTopic.IsValidFilter(probe))
            {
                failures.Add($"{Prefix}Acl:{i}:Topic '{topic}' is not a valid topic filter.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
