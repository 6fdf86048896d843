using System.Buffers;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Framing;

/// <summary>One complete control packet: its fixed header fields and a view of its body (variable header + payload).</summary>
public readonly struct MqttFrame
{
    /// <summary>Creates a frame view.</summary>
    public MqttFrame(MqttPacketType type, byte flags, ReadOnlySequence<byte> body, int length)
    {
        Type = type;
        Flags = flags;
        Body = body;
        Length = length;
    }

    /// <summary>Packet type (bits 7–4 of the first byte).</summary>
    public MqttPacketType Type { get; }

    /// <summary>Flags (bits 3–0 of the first byte).</summary>
    public byte Flags { get; }

    /// <summary>The remaining-length bytes, a slice of the reader's buffer (valid until it is advanced).</summary>
    public ReadOnlySequence<byte> Body { get; }

    /// <summary>Whole packet length on the wire, fixed header included.</summary>
    public int Length { get; }
}
