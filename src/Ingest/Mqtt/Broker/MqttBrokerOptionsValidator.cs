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
        if (!IPAddress.TryParse(options.BindAddress, out IPAddress? bind))
        {
            failures.Add($"{Prefix}BindAddress '{options.BindAddress}' is not an IP address.");
        }
        else if (options.Enabled && !IPAddress.IsLoopback(bind))
        {
            if (options.AllowAnonymous)
            {
                failures.Add($"{Prefix}AllowAnonymous=true is only allowed on a loopback BindAddress (127.0.0.1 or ::1), not on '{options.BindAddress}': anyone on the network could publish readings and read alerts.");
            }

            bool certificates = options.UseCertificateIdentity && options.TlsClientCertificates != MqttClientCertificateMode.None;
            if (string.IsNullOrEmpty(options.PasswordFile) && options.Users.Count == 0 && !certificates)
            {
                failures.Add($"{Prefix}BindAddress '{options.BindAddress}' is reachable from the network but no device can authenticate: set {Prefix}PasswordFile to a mosquitto_passwd file (add devices with 'Resilience.Silo device-password <sensorId> --file <path>'), {Prefix}Users, or TLS client certificates with {Prefix}UseCertificateIdentity.");
            }
        }

        if (options.TlsClientCertificates != MqttClientCertificateMode.None)
        {
            if (string.IsNullOrEmpty(options.TlsCertificatePath))
            {
                failures.Add($"{Prefix}TlsClientCertificates needs the TLS listener ({Prefix}TlsCertificatePath).");
            }

            if (string.IsNullOrEmpty(options.TlsClientCaPath) || !File.Exists(options.TlsClientCaPath))
            {
                failures.Add($"{Prefix}TlsClientCaPath '{options.TlsClientCaPath}' must name the PEM file of the CAs that sign client certificates.");
            }
        }
        else if (options.UseCertificateIdentity)
        {
            failures.Add($"{Prefix}UseCertificateIdentity needs {Prefix}TlsClientCertificates Optional or Required.");
        }

        if (options.AuthBackoffInitial <= TimeSpan.Zero || options.AuthBackoffMax < options.AuthBackoffInitial)
        {
            failures.Add($"{Prefix}AuthBackoffInitial must be positive and at most {Prefix}AuthBackoffMax.");
        }

        foreach (string user in options.Roles.Keys)
        {
            if (user.Length == 0 || user.AsSpan().IndexOfAny('/', '+', '#') >= 0)
            {
                failures.Add($"{Prefix}Roles:{user} is not a valid user name.");
            }
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
