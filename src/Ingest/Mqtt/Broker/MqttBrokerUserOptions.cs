namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>One broker user.</summary>
public sealed class MqttBrokerUserOptions
{
    /// <summary>User name.</summary>
    public string UserName { get; set; } = string.Empty;

    /// <summary>Password: plain text or a mosquitto_passwd hash (<c>$7$…</c> PBKDF2-SHA512, <c>$6$…</c> SHA-512).</summary>
    public string Password { get; set; } = string.Empty;
}
