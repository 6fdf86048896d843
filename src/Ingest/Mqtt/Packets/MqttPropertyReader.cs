namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Allocation-free enumerator over a v5 property block (the bytes after the property length). Each
/// <see cref="MoveNext"/> checks the data type's length and UTF-8 rules; <see cref="Validate"/> adds the
/// per-packet, duplicate and value-range rules.
/// </summary>
internal ref struct MqttPropertyReader
{
    private const int ByteKind = 1;
    private const int TwoByteKind = 2;
    private const int FourByteKind = 4;
    private const int VarIntKind = 5;
    private const int StringKind = 6;
    private const int BinaryKind = 7;
    private const int PairKind = 8;

    // Allowed contexts per identifier, as bits of (1 << MqttPropertyContext).
    private const ushort PublishWill = (1 << (int)MqttPropertyContext.Publish) | (1 << (int)MqttPropertyContext.Will);
    private const ushort AllContexts = 0x07FF;

    private MqttSpanReader _reader;

    public MqttPropertyReader(ReadOnlySpan<byte> block)
    {
        _reader = new MqttSpanReader(block);
        Id = 0;
        Value = 0;
        Data = default;
        Data2 = default;
    }

    /// <summary>Offset of the next property in the block.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>The current property's identifier.</summary>
    public MqttPropertyId Id { get; private set; }

    /// <summary>Numeric value (byte, two-byte, four-byte, variable integer kinds).</summary>
    public uint Value { get; private set; }

    /// <summary>String or binary value; a user property's name.</summary>
    public ReadOnlySpan<byte> Data { get; private set; }

    /// <summary>A user property's value.</summary>
    public ReadOnlySpan<byte> Data2 { get; private set; }

    public bool MoveNext()
    {
        if (_reader.End)
        {
            return false;
        }

        int id = _reader.ReadVariableInteger();
        Id = (MqttPropertyId)id;
        Data = default;
        Data2 = default;
        Value = 0;
        switch (KindOf(id))
        {
            case ByteKind:
                Value = _reader.ReadByte();
                break;
            case TwoByteKind:
                Value = _reader.ReadUInt16();
                break;
            case FourByteKind:
                Value = _reader.ReadUInt32();
                break;
            case VarIntKind:
                Value = (uint)_reader.ReadVariableInteger();
                break;
            case StringKind:
                Data = _reader.ReadUtf8();
                break;
            case BinaryKind:
                Data = _reader.ReadBinary();
                break;
            case PairKind:
                Data = _reader.ReadUtf8();
                Data2 = _reader.ReadUtf8();
                break;
            default:
                MqttProtocolException.ThrowMalformed($"Unknown property identifier 0x{id:X2}.");
                break;
        }

        return true;
    }

    /// <summary>Checks every rule of a property block for <paramref name="context"/>; throws on the first violation.</summary>
    public static void Validate(ReadOnlySpan<byte> block, MqttPropertyContext context)
    {
        ulong seen = 0;
        var reader = new MqttPropertyReader(block);
        while (reader.MoveNext())
        {
            int id = (int)reader.Id;
            if ((AllowedContexts(id) & (1 << (int)context)) == 0)
            {
                MqttProtocolException.ThrowMalformed($"Property 0x{id:X2} is not allowed in {context}.");
            }

            bool repeatable = reader.Id == MqttPropertyId.UserProperty
                || (reader.Id == MqttPropertyId.SubscriptionIdentifier && context == MqttPropertyContext.Publish);
            ulong bit = 1UL << id;
            if (!repeatable && (seen & bit) != 0)
            {
                MqttProtocolException.ThrowProtocolError($"Property 0x{id:X2} appears more than once.");
            }

            seen |= bit;
            CheckRange(reader.Id, reader.Value);
        }
    }

    private static void CheckRange(MqttPropertyId id, uint value)
    {
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
            case MqttPropertyId.RequestProblemInformation:
            case MqttPropertyId.RequestResponseInformation:
            case MqttPropertyId.MaximumQoS:
            case MqttPropertyId.RetainAvailable:
            case MqttPropertyId.WildcardSubscriptionAvailable:
            case MqttPropertyId.SubscriptionIdentifierAvailable:
            case MqttPropertyId.SharedSubscriptionAvailable:
                if (value > 1)
                {
                    MqttProtocolException.ThrowProtocolError($"Property {id} must be 0 or 1.");
                }

                break;
            case MqttPropertyId.ReceiveMaximum:
            case MqttPropertyId.TopicAlias:
            case MqttPropertyId.MaximumPacketSize:
            case MqttPropertyId.SubscriptionIdentifier:
                if (value == 0)
                {
                    MqttProtocolException.ThrowProtocolError($"Property {id} must not be 0.");
                }

                break;
            default:
                break;
        }
    }

    private static int KindOf(int id) => id switch
    {
        0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => ByteKind,
        0x13 or 0x21 or 0x22 or 0x23 => TwoByteKind,
        0x02 or 0x11 or 0x18 or 0x27 => FourByteKind,
        0x0B => VarIntKind,
        0x03 or 0x08 or 0x12 or 0x15 or 0x1A or 0x1C or 0x1F => StringKind,
        0x09 or 0x16 => BinaryKind,
        0x26 => PairKind,
        _ => 0,
    };

    private static int AllowedContexts(int id) => id switch
    {
        0x01 or 0x02 or 0x03 or 0x08 or 0x09 => PublishWill,
        0x0B => (1 << (int)MqttPropertyContext.Publish) | (1 << (int)MqttPropertyContext.Subscribe),
        0x11 => Bits(MqttPropertyContext.Connect, MqttPropertyContext.ConnAck, MqttPropertyContext.Disconnect),
        0x12 or 0x13 or 0x1A or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => Bits(MqttPropertyContext.ConnAck),
        0x15 or 0x16 => Bits(MqttPropertyContext.Connect, MqttPropertyContext.ConnAck, MqttPropertyContext.Auth),
        0x17 or 0x19 => Bits(MqttPropertyContext.Connect),
        0x18 => Bits(MqttPropertyContext.Will),
        0x1C => Bits(MqttPropertyContext.ConnAck, MqttPropertyContext.Disconnect),
        0x1F => AllContexts & ~(Bits(MqttPropertyContext.Connect, MqttPropertyContext.Publish, MqttPropertyContext.Will, MqttPropertyContext.Subscribe, MqttPropertyContext.Unsubscribe)),
        0x21 or 0x22 or 0x27 => Bits(MqttPropertyContext.Connect, MqttPropertyContext.ConnAck),
        0x23 => Bits(MqttPropertyContext.Publish),
        0x26 => AllContexts,
        _ => 0,
    };

    private static int Bits(MqttPropertyContext a) => 1 << (int)a;

    private static int Bits(MqttPropertyContext a, MqttPropertyContext b) => Bits(a) | Bits(b);

    private static int Bits(MqttPropertyContext a, MqttPropertyContext b, MqttPropertyContext c) => Bits(a) | Bits(b) | Bits(c);

    private static int Bits(MqttPropertyContext a, MqttPropertyContext b, MqttPropertyContext c, MqttPropertyContext d, MqttPropertyContext e)
        => Bits(a) | Bits(b) | Bits(c) | Bits(d) | Bits(e);
}
