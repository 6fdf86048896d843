using System.Buffers;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Framing;

/// <summary>
/// Splits a byte stream into MQTT control packets. Pure: it reads only the fixed header, checks the
/// type/flags rules of §2.1.3 and the remaining-length rules of §1.5.5/§2.1.4, and slices the body.
/// </summary>
public static class MqttFrameReader
{
    /// <summary>The largest remaining length the variable byte integer can express (268,435,455).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>Reads one frame with no size limit beyond the protocol's own.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out MqttFrame frame)
        => TryRead(ref buffer, MaxRemainingLength + 5, out frame);

    /// <summary>
    /// Reads one frame from the front of <paramref name="buffer"/>. On success the buffer is moved past the
    /// frame; when only part of a frame is there it returns false and leaves the buffer untouched.
    /// </summary>
    /// <param name="buffer">Bytes received so far.</param>
    /// <param name="maxPacketSize">Largest whole packet accepted; larger throws with reason 0x95 as soon as the header shows it.</param>
    /// <param name="frame">The frame, valid until the underlying buffer is released.</param>
    /// <exception cref="MqttProtocolException">Reserved type, reserved flags, QoS 3, a remaining length over 4 bytes, or a packet over the limit.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketSize, out MqttFrame frame)
    {
        frame = default;
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= 5 || buffer.IsSingleSegment)
        {
            return TryReadCore(ref buffer, first, maxPacketSize, out frame);
        }

        if (buffer.IsEmpty)
        {
            return false;
        }

        // Header split across segments: copy at most 5 header bytes.
        Span<byte> header = stackalloc byte[5];
        int n = (int)Math.Min(5, buffer.Length);
        buffer.Slice(0, n).CopyTo(header);
        return TryReadCore(ref buffer, header.Slice(0, n), maxPacketSize, out frame);
    }

    private static bool TryReadCore(ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> header, int maxPacketSize, out MqttFrame frame)
    {
        frame = default;
        if (header.IsEmpty)
        {
            return false;
        }

        byte b0 = header[0];
        var type = (MqttPacketType)(b0 >> 4);
        byte flags = (byte)(b0 & 0x0F);
        CheckFlags(type, flags);

        int remaining = 0;
        int i = 1;
        while (true)
        {
            if (i >= header.Length)
            {
                return false;
            }

            byte b = header[i];
            remaining |= (b & 0x7F) << (7 * (i - 1));
            i++;
            if ((b & 0x80) == 0)
            {
                break;
            }

            if (i == 5)
            {
                MqttProtocolException.ThrowMalformed("Remaining length is longer than 4 bytes.");
            }
        }

        long total = (long)i + remaining;
        if (total > maxPacketSize)
        {
            MqttProtocolException.Throw(MqttReasonCode.PacketTooLarge, $"Packet of {total} bytes exceeds the maximum of {maxPacketSize}.");
        }

        if (buffer.Length < total)
        {
            return false;
        }

        frame = new MqttFrame(type, flags, buffer.Slice(i, remaining), (int)total);
        buffer = buffer.Slice(total);
        return true;
    }

    private static void CheckFlags(MqttPacketType type, byte flags)
    {
        switch (type)
        {
            case MqttPacketType.Publish:
                if ((flags & 0x06) == 0x06)
                {
                    MqttProtocolException.ThrowMalformed("PUBLISH with QoS 3.");
                }

                break;
            case MqttPacketType.PubRel:
            case MqttPacketType.Subscribe:
            case MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    MqttProtocolException.ThrowMalformed($"{type} fixed-header flags must be 0010.");
                }

                break;
            case MqttPacketType.Connect:
            case MqttPacketType.ConnAck:
            case MqttPacketType.PubAck:
            case MqttPacketType.PubRec:
            case MqttPacketType.PubComp:
            case MqttPacketType.SubAck:
            case MqttPacketType.UnsubAck:
            case MqttPacketType.PingReq:
            case MqttPacketType.PingResp:
            case MqttPacketType.Disconnect:
            case MqttPacketType.Auth:
                if (flags != 0)
                {
                    MqttProtocolException.ThrowMalformed($"{type} fixed-header flags must be 0000.");
                }

                break;
            default:
                MqttProtocolException.ThrowMalformed("Reserved packet type 0.");
                break;
        }
    }
}
