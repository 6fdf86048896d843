using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// One unacknowledged exchange the client started: a QoS 1/2 PUBLISH, a SUBSCRIBE or an UNSUBSCRIBE. Holds
/// the encoded packet in a pooled buffer so it can be resent after a reconnect (a PUBLISH with DUP; a QoS 2
/// exchange past PUBREC resends PUBREL instead).
/// </summary>
internal sealed class MqttOutboundEntry
{
    public MqttOutboundEntry(MqttPacketType kind, ushort packetId, MqttQualityOfService qos, byte[] buffer, int length, long sequence)
    {
        Kind = kind;
        PacketId = packetId;
        Qos = qos;
        Buffer = buffer;
        Length = length;
        Sequence = sequence;
    }

    public MqttPacketType Kind { get; }

    public ushort PacketId { get; }

    public MqttQualityOfService Qos { get; }

    /// <summary>Rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>; returned when the exchange completes.</summary>
    public byte[] Buffer { get; }

    public int Length { get; }

    /// <summary>Order of creation: resends go out in the original order (MQTT 5.0 §4.6).</summary>
    public long Sequence { get; }

    /// <summary>The connection generation it was last handed to for writing; 0 = never sent.</summary>
    public long Generation { get; set; }

    /// <summary>The pending write is a resend: a PUBLISH then carries DUP.</summary>
    public bool Duplicate { get; set; }

    /// <summary>QoS 2: PUBREC received, PUBREL is the packet to (re)send.</summary>
    public bool Released { get; set; }

    /// <summary>For SUBSCRIBE: the subscriptions to remember once granted; for UNSUBSCRIBE: the filters to forget.</summary>
    public IReadOnlyList<MqttSubscription>? Subscriptions { get; init; }

    /// <summary>For UNSUBSCRIBE: the filters.</summary>
    public IReadOnlyList<string>? Filters { get; init; }

    /// <summary>Completes with the SUBACK/UNSUBACK codes (empty for publishes) or a <see cref="MqttClientException"/>.</summary>
    public TaskCompletionSource<IReadOnlyList<byte>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
