using System.ComponentModel.DataAnnotations;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Settings of one <see cref="MqttClient"/>. <see cref="Validate"/> runs when the client is created.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Broker host name or address. Required.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port. Default 1883 (use 8883 with <see cref="UseTls"/>).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier. Default empty: the broker assigns one (then a persistent session is impossible).</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Protocol version: 3.1.1 (<see cref="MqttProtocolVersion.V311"/>) or 5.0. Default 5.0.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Clean Start (5.0) / Clean Session (3.1.1). Default true; false resumes a persistent session.</summary>
    public bool CleanStart { get; set; } = true;

    /// <summary>5.0 Session Expiry Interval in seconds; 0 ends the session with the connection. Default 0. (3.1.1: the session lives while CleanStart is false.)</summary>
    public uint SessionExpirySeconds { get; set; }

    /// <summary>User name, or null. Default null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null. Default null.</summary>
    public string? Password { get; set; }

    /// <summary>Keep alive in seconds: a PINGREQ after this long without sending; the connection is dropped when the PINGRESP does not come within as long again. 0 disables it. Default 30.</summary>
    [Range(0, 65535)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>The will message the broker publishes when this client disappears without DISCONNECT, or null. Default null.</summary>
    public MqttWillMessage? Will { get; set; }

    /// <summary>Wrap the connection in TLS (<see cref="SslStream"/>). Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>TLS server name to validate against; default null = <see cref="Host"/>.</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>Server-certificate validation; default null = the operating system's chain and name checks.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Client certificates for mutual TLS, or null. Default null.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>Most unacknowledged QoS 1/2 publishes this client sends (lowered to the broker's Receive Maximum); publishers wait for a free slot. Default 64.</summary>
    [Range(1, 65000)]
    public int MaxInFlight { get; set; } = 64;

    /// <summary>5.0 Receive Maximum announced to the broker: most unacknowledged QoS 1/2 publishes it may send us. Default 64.</summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 64;

    /// <summary>Capacity of <see cref="MqttClient.Messages"/>; when full the client stops reading the socket. 0 = no channel (handler only). Default 1024.</summary>
    [Range(0, 1_000_000)]
    public int ReceiveChannelCapacity { get; set; } = 1024;

    /// <summary>Largest packet accepted from the broker (announced in 5.0 CONNECT). Default 16 MiB.</summary>
    [Range(64, 268_435_460)]
    public int MaximumPacketSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Time allowed for TCP, TLS and CONNACK together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect by itself after the connection is lost. Default true.</summary>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>First reconnect delay (doubling, with jitter). Default 0.5 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns the problems with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            foreach (ValidationResult r in results)
            {
                errors.Add(r.ErrorMessage ?? "Invalid value.");
            }
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Host is required.");
        }

        if (ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            errors.Add("ProtocolVersion must be V311 or V500.");
        }

        if (ClientId.Length == 0 && !CleanStart)
        {
            errors.Add("A persistent session (CleanStart = false) needs a ClientId.");
        }

        if (Password is not null && Username is null && ProtocolVersion == MqttProtocolVersion.V311)
        {
            errors.Add("MQTT 3.1.1 does not allow a Password without a Username.");
        }

        if (Will is not null && !MqttTopicValidator.IsValidTopicName(Will.Topic))
        {
            errors.Add($"Will topic '{Will.Topic}' is not a valid topic name.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add("ConnectTimeout must be positive.");
        }

        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
        {
            errors.Add("ReconnectInitialDelay must be positive and not above ReconnectMaxDelay.");
        }

        return errors;
    }
}
