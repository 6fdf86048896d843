using System.Buffers.Binary;
using System.Text;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>Forward-only writer into a span sized beforehand by the encoder.</summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public MqttSpanWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span.Slice(_position), value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span.Slice(_position), value);
        _position += 4;
    }

    public void WriteVariableInteger(int value)
    {
        uint v = (uint)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0)
            {
                b |= 0x80;
            }

            _span[_position++] = b;
        }
        while (v != 0);
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteString(string value)
    {
        int length = Encoding.UTF8.GetBytes(value, _span.Slice(_position + 2));
        WriteUInt16((ushort)length);
        _position += length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span.Slice(_position));
        _position += value.Length;
    }

    /// <summary>Size of a variable byte integer on the wire.</summary>
    public static int VariableIntegerSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Size of a length-prefixed UTF-8 string, validating the 65,535-byte limit.</summary>
    public static int StringSize(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("An MQTT string is at most 65,535 bytes.", nameof(value));
        }

        return 2 + length;
    }

    /// <summary>Size of length-prefixed binary data, validating the 65,535-byte limit.</summary>
    public static int BinarySize(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT binary data is at most 65,535 bytes.", nameof(value));
        }

        return 2 + value.Length;
    }
}
