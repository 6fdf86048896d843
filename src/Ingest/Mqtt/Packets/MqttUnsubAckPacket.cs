namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>UNSUBACK (reason codes in 5.0 only).</summary>
public sealed class MqttUnsubAckPacket
{
    /// <summary>Packet identifier.</summary>
    public ushort PacketId { get; set; }

    /// <summary>v5 reason codes per filter; empty for 3.1.1.</summary>
    public IList<byte> ReasonCodes { get; set; } = new List<byte>();

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
