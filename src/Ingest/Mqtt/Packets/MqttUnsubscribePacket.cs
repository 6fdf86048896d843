namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>UNSUBSCRIBE.</summary>
public sealed class MqttUnsubscribePacket
{
    /// <summary>Packet identifier (non-zero).</summary>
    public ushort PacketId { get; set; }

    /// <summary>At least one topic filter.</summary>
    public IList<string> Filters { get; set; } = new List<string>();

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
