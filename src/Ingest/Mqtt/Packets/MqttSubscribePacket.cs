namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>SUBSCRIBE.</summary>
public sealed class MqttSubscribePacket
{
    /// <summary>Packet identifier (non-zero).</summary>
    public ushort PacketId { get; set; }

    /// <summary>At least one subscription.</summary>
    public IList<MqttSubscription> Subscriptions { get; set; } = new List<MqttSubscription>();

    /// <summary>v5 properties (Subscription Identifier, user properties), or null.</summary>
    public MqttProperties? Properties { get; set; }
}
