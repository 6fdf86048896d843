using System.ComponentModel.DataAnnotations;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// The external broker the silo consumes from (<c>Resilience:Mqtt:External</c>), through a shared
/// subscription so that several silos split the load.
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

    /// <summary>Use TLS. Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>Client id; default empty = <c>resilience-{machine name}</c>. Each silo needs its own.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Shared-subscription group: every silo in the group gets a share of the messages. Default "resilience".</summary>
    [Required]
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

    /// <summary>Most unacknowledged messages the broker may push at once (5.0 Receive Maximum). Default 256.</summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 256;

    /// <summary>The filters to subscribe to, defaults applied.</summary>
    public IReadOnlyList<string> EffectiveTopics => Topics.Length > 0 ? Topics : ["sensors/+/+/telemetry", "sensors/+/+/status"];

    /// <summary>The client id, default applied.</summary>
    public string EffectiveClientId => ClientId.Length > 0 ? ClientId : "resilience-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>Client settings for these options.</summary>
    public MqttClientOptions ToClientOptions() => new()
    {
        Host = Host,
        Port = Port,
        Username = string.IsNullOrEmpty(Username) ? null : Username,
        Password = string.IsNullOrEmpty(Password) ? null : Password,
        UseTls = Tls,
        ClientId = EffectiveClientId,
        ProtocolVersion = (MqttProtocolVersion)ProtocolVersion,
        CleanStart = SessionExpirySeconds == 0,
        SessionExpirySeconds = (uint)SessionExpirySeconds,
        KeepAliveSeconds = KeepAliveSeconds,
        ReceiveMaximum = ReceiveMaximum,
        ReceiveChannelCapacity = 0,
    };
}
