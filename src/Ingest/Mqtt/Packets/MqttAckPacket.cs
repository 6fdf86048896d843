namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP.</summary>
public readonly struct MqttAckPacket
{
    /// <summary>Creates an acknowledgement.</summary>
    public MqttAckPacket(MqttPacketType type, ushort packetId, MqttReasonCode reasonCode = MqttReasonCode.Success, MqttProperties? properties = null)
    {
        Type = type;
        PacketId = packetId;
        ReasonCode = reasonCode;
        Properties = properties;
    }

    /// <summary>Which acknowledgement.</summary>
    public MqttPacketType Type { get; }

    /// <summary>Packet identifier (non-zero).</summary>
    public ushort PacketId { get; }

    /// <summary>v5 reason code (Success for 3.1.1).</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; }
}
