namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// A decoded PUBLISH as views into the frame's bytes (nothing allocated). The views live as long as the
/// buffer they were decoded from. The v5 property block is validated on decode and kept raw: the topic alias
/// and message expiry are extracted; the rest is read with <see cref="MqttPropertyReader"/> when needed.
/// </summary>
public readonly struct MqttPublishPacket
{
    /// <summary>Creates a view.</summary>
    public MqttPublishPacket(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, bool dup, ushort packetId, ReadOnlyMemory<byte> properties, ushort topicAlias, uint? messageExpiryInterval)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Dup = dup;
        PacketId = packetId;
        Properties = properties;
        TopicAlias = topicAlias;
        MessageExpiryInterval = messageExpiryInterval;
    }

    /// <summary>UTF-8 topic name (validated; may be empty in v5 when <see cref="TopicAlias"/> is set).</summary>
    public ReadOnlyMemory<byte> Topic { get; }

    /// <summary>Application payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>QoS.</summary>
    public MqttQualityOfService Qos { get; }

    /// <summary>RETAIN flag.</summary>
    public bool Retain { get; }

    /// <summary>DUP flag.</summary>
    public bool Dup { get; }

    /// <summary>Packet identifier (QoS 1 and 2 only; 0 for QoS 0).</summary>
    public ushort PacketId { get; }

    /// <summary>Raw v5 property block (after the length prefix); empty for 3.1.1.</summary>
    public ReadOnlyMemory<byte> Properties { get; }

    /// <summary>v5 Topic Alias, 0 when absent.</summary>
    public ushort TopicAlias { get; }

    /// <summary>v5 Message Expiry Interval in seconds, or null.</summary>
    public uint? MessageExpiryInterval { get; }
}
