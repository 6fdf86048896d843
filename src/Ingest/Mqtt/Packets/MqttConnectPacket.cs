namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>CONNECT (MQTT 3.1.1 §3.1, 5.0 §3.1).</summary>
public sealed class MqttConnectPacket
{
    /// <summary>Protocol level; decides the rest of the session's encoding.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;

    /// <summary>Clean Session (3.1.1) / Clean Start (5.0).</summary>
    public bool CleanStart { get; set; } = true;

    /// <summary>Keep alive in seconds; 0 disables it.</summary>
    public ushort KeepAliveSeconds { get; set; }

    /// <summary>Client identifier; may be empty.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The will message, or null.</summary>
    public MqttWillMessage? Will { get; set; }

    /// <summary>User name, or null.</summary>
    public string? UserName { get; set; }

    /// <summary>Password bytes, or null.</summary>
    public byte[]? Password { get; set; }

    /// <summary>v5 CONNECT properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
