using System.ComponentModel.DataAnnotations;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// The external broker (mosquitto, EMQX, HiveMQ) the silo consumes from (<c>Resilience:Mqtt:External</c>) with the
/// MQTTnet client, through a shared subscription so that several silos split the load; the silo also publishes its
/// retained alert topics there. <see cref="Username"/>/<see cref="Password"/> are the silo's own broker user, the
/// one the broker's ACL lets into the shared group and onto <c>alerts/#</c>.
/// </summary>
public sealed class ExternalMqttOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Mqtt:External";

    /// <summary>Broker host. Required (the silo adds the consumer only when it is set).</summary>
    [Required]
    public string Host { get; set; } = string.Empty;

    /// <summary>Broker port. Default 1883.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>User name, or null. Default null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null. Default null.</summary>
    public string? Password { get; set; }

    /// <summary>Connect over TLS (the server certificate is validated against the system trust store or <see cref="TlsCaFile"/>). Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>
    /// PEM file with the certificate authority (or the self-signed server certificate) to trust instead of the
    /// system store; only with <see cref="Tls"/>. Default empty = the system trust store.
    /// </summary>
    public string TlsCaFile { get; set; } = string.Empty;

    /// <summary>Host name the server certificate must match; default empty = <see cref="Host"/>.</summary>
    public string TlsServerName { get; set; } = string.Empty;

    /// <summary>Client id; default empty = <c>resilience-{machine name}</c>. Each silo needs its own.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>
    /// Shared-subscription group: every silo in the group gets a share of the messages (restrict the group to the
    /// silo's user in the broker's ACL). Empty = plain subscriptions, for a single silo: mosquitto 2.0.11 restores
    /// those from its persistence after a restart, but not shared ones (see docs/architecture.md). Default "resilience".
    /// </summary>
    public string SharedGroup { get; set; } = "resilience";

    /// <summary>Topic filters; default empty = <c>sensors/+/+/telemetry</c> and <c>sensors/+/+/status</c>.</summary>
    public string[] Topics { get; set; } = [];

    /// <summary>Subscription QoS. Default 1.</summary>
    [Range(0, 2)]
    public int Qos { get; set; } = 1;

    /// <summary>Protocol: 4 = 3.1.1, 5 = 5.0. Default 5.</summary>
    [Range(4, 5)]
    public int ProtocolVersion { get; set; } = 5;

    /// <summary>
    /// Session expiry (5.0) in seconds: messages queued by the broker while the silo restarts are delivered
    /// afterwards. 0 = a clean session per connection. Default 3600.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int SessionExpirySeconds { get; set; } = 3600;

    /// <summary>Keep alive in seconds. Default 30.</summary>
    [Range(0, 65535)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>
    /// Most messages received and not yet acknowledged at once: sent as the 5.0 Receive Maximum, so the broker
    /// pushes no more, and the capacity of the hand-off into the ingest pipeline (a message is acknowledged only
    /// after the pipeline has taken it). Default 256.
    /// </summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 256;

    /// <summary>First reconnect delay, doubling per failed attempt (with jitter) up to <see cref="ReconnectMaxDelay"/>. Default 0.5 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for CONNECT/CONNACK, SUBSCRIBE/SUBACK and a QoS 1 publish. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The filters to subscribe to, defaults applied.</summary>
    public IReadOnlyList<string> EffectiveTopics => Topics.Length > 0 ? Topics : ["sensors/+/+/telemetry", "sensors/+/+/status"];

    /// <summary>The client id, default applied.</summary>
    public string EffectiveClientId => ClientId.Length > 0 ? ClientId : "resilience-" + Environment.MachineName.ToLowerInvariant();
}
