namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>SUBACK: one return/reason code per requested filter.</summary>
public sealed class MqttSubAckPacket
{
    /// <summary>Packet identifier.</summary>
    public ushort PacketId { get; set; }

    /// <summary>Granted QoS (0–2) or a failure code (0x80 in 3.1.1, ≥0x80 in 5.0), per filter.</summary>
    public IList<byte> ReasonCodes { get; set; } = new List<byte>();

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
