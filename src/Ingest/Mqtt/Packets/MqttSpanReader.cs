using System.Buffers.Binary;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Forward-only reader over one packet body. Every read checks bounds and throws
/// <see cref="MqttProtocolException"/> (malformed) when the body is too short.
/// </summary>
internal ref struct MqttSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public MqttSpanReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly bool End => _position >= _span.Length;

    public byte ReadByte()
    {
        if ((uint)_position >= (uint)_span.Length)
        {
            MqttProtocolException.ThrowMalformed("Packet ends inside a byte field.");
        }

        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        if (Remaining < 2)
        {
            MqttProtocolException.ThrowMalformed("Packet ends inside a two-byte integer.");
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_position));
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        if (Remaining < 4)
        {
            MqttProtocolException.ThrowMalformed("Packet ends inside a four-byte integer.");
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_position));
        _position += 4;
        return value;
    }

    /// <summary>Variable byte integer (§1.5.5): at most 4 bytes; non-minimal encodings are accepted.</summary>
    public int ReadVariableInteger()
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = ReadByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        MqttProtocolException.ThrowMalformed("Variable byte integer longer than 4 bytes.");
        return 0;
    }

    /// <summary>A length-prefixed UTF-8 string, validated by the spec's rules (§1.5.4).</summary>
    public ReadOnlySpan<byte> ReadUtf8()
    {
        ReadOnlySpan<byte> bytes = ReadBinary();
        MqttUtf8.ThrowIfInvalid(bytes);
        return bytes;
    }

    /// <summary>Offset and length of a length-prefixed UTF-8 string, validated.</summary>
    public (int Offset, int Length) ReadUtf8Range()
    {
        int length = ReadUInt16();
        if (Remaining < length)
        {
            MqttProtocolException.ThrowMalformed("Packet ends inside a string.");
        }

        int offset = _position;
        MqttUtf8.ThrowIfInvalid(_span.Slice(offset, length));
        _position += length;
        return (offset, length);
    }

    public ReadOnlySpan<byte> ReadBinary()
    {
        int length = ReadUInt16();
        return ReadBytes(length);
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if ((uint)Remaining < (uint)length)
        {
            MqttProtocolException.ThrowMalformed("Packet ends inside a field.");
        }

        ReadOnlySpan<byte> bytes = _span.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public readonly ReadOnlySpan<byte> Rest => _span.Slice(_position);
}
