namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// A materialised MQTT 5.0 property set for the packets that are not on the hot path (CONNECT, CONNACK,
/// SUBSCRIBE, acknowledgements, DISCONNECT, AUTH, will properties). Unset properties are null.
/// </summary>
public sealed class MqttProperties
{
    /// <summary>0x01 Payload Format Indicator.</summary>
    public byte? PayloadFormatIndicator { get; set; }

    /// <summary>0x02 Message Expiry Interval, seconds.</summary>
    public uint? MessageExpiryInterval { get; set; }

    /// <summary>0x03 Content Type.</summary>
    public string? ContentType { get; set; }

    /// <summary>0x08 Response Topic.</summary>
    public string? ResponseTopic { get; set; }

    /// <summary>0x09 Correlation Data.</summary>
    public byte[]? CorrelationData { get; set; }

    /// <summary>0x0B Subscription Identifier(s).</summary>
    public IList<int>? SubscriptionIdentifiers { get; set; }

    /// <summary>0x11 Session Expiry Interval, seconds.</summary>
    public uint? SessionExpiryInterval { get; set; }

    /// <summary>0x12 Assigned Client Identifier.</summary>
    public string? AssignedClientIdentifier { get; set; }

    /// <summary>0x13 Server Keep Alive, seconds.</summary>
    public ushort? ServerKeepAlive { get; set; }

    /// <summary>0x15 Authentication Method.</summary>
    public string? AuthenticationMethod { get; set; }

    /// <summary>0x16 Authentication Data.</summary>
    public byte[]? AuthenticationData { get; set; }

    /// <summary>0x17 Request Problem Information.</summary>
    public byte? RequestProblemInformation { get; set; }

    /// <summary>0x18 Will Delay Interval, seconds.</summary>
    public uint? WillDelayInterval { get; set; }

    /// <summary>0x19 Request Response Information.</summary>
    public byte? RequestResponseInformation { get; set; }

    /// <summary>0x1A Response Information.</summary>
    public string? ResponseInformation { get; set; }

    /// <summary>0x1C Server Reference.</summary>
    public string? ServerReference { get; set; }

    /// <summary>0x1F Reason String.</summary>
    public string? ReasonString { get; set; }

    /// <summary>0x21 Receive Maximum.</summary>
    public ushort? ReceiveMaximum { get; set; }

    /// <summary>0x22 Topic Alias Maximum.</summary>
    public ushort? TopicAliasMaximum { get; set; }

    /// <summary>0x23 Topic Alias.</summary>
    public ushort? TopicAlias { get; set; }

    /// <summary>0x24 Maximum QoS.</summary>
    public byte? MaximumQoS { get; set; }

    /// <summary>0x25 Retain Available.</summary>
    public byte? RetainAvailable { get; set; }

    /// <summary>0x26 User Properties, in order.</summary>
    public IList<MqttUserProperty>? UserProperties { get; set; }

    /// <summary>0x27 Maximum Packet Size.</summary>
    public uint? MaximumPacketSize { get; set; }

    /// <summary>0x28 Wildcard Subscription Available.</summary>
    public byte? WildcardSubscriptionAvailable { get; set; }

    /// <summary>0x29 Subscription Identifier Available.</summary>
    public byte? SubscriptionIdentifierAvailable { get; set; }

    /// <summary>0x2A Shared Subscription Available.</summary>
    public byte? SharedSubscriptionAvailable { get; set; }

    /// <summary>Validates and materialises a property block; null when the block is empty.</summary>
    internal static MqttProperties? Parse(ReadOnlySpan<byte> block, MqttPropertyContext context)
    {
        if (block.IsEmpty)
        {
            return null;
        }

        MqttPropertyReader.Validate(block, context);
        var p = new MqttProperties();
        var reader = new MqttPropertyReader(block);
        while (reader.MoveNext())
        {
            uint v = reader.Value;
            switch (reader.Id)
            {
                case MqttPropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = (byte)v; break;
                case MqttPropertyId.MessageExpiryInterval: p.MessageExpiryInterval = v; break;
                case MqttPropertyId.ContentType: p.ContentType = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.ResponseTopic: p.ResponseTopic = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.CorrelationData: p.CorrelationData = reader.Data.ToArray(); break;
                case MqttPropertyId.SubscriptionIdentifier: (p.SubscriptionIdentifiers ??= new List<int>()).Add((int)v); break;
                case MqttPropertyId.SessionExpiryInterval: p.SessionExpiryInterval = v; break;
                case MqttPropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.ServerKeepAlive: p.ServerKeepAlive = (ushort)v; break;
                case MqttPropertyId.AuthenticationMethod: p.AuthenticationMethod = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.AuthenticationData: p.AuthenticationData = reader.Data.ToArray(); break;
                case MqttPropertyId.RequestProblemInformation: p.RequestProblemInformation = (byte)v; break;
                case MqttPropertyId.WillDelayInterval: p.WillDelayInterval = v; break;
                case MqttPropertyId.RequestResponseInformation: p.RequestResponseInformation = (byte)v; break;
                case MqttPropertyId.ResponseInformation: p.ResponseInformation = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.ServerReference: p.ServerReference = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.ReasonString: p.ReasonString = MqttUtf8.GetString(reader.Data); break;
                case MqttPropertyId.ReceiveMaximum: p.ReceiveMaximum = (ushort)v; break;
                case MqttPropertyId.TopicAliasMaximum: p.TopicAliasMaximum = (ushort)v; break;
                case MqttPropertyId.TopicAlias: p.TopicAlias = (ushort)v; break;
                case MqttPropertyId.MaximumQoS: p.MaximumQoS = (byte)v; break;
                case MqttPropertyId.RetainAvailable: p.RetainAvailable = (byte)v; break;
                case MqttPropertyId.UserProperty:
                    (p.UserProperties ??= new List<MqttUserProperty>()).Add(new MqttUserProperty(MqttUtf8.GetString(reader.Data), MqttUtf8.GetString(reader.Data2)));
                    break;
                case MqttPropertyId.MaximumPacketSize: p.MaximumPacketSize = v; break;
                case MqttPropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = (byte)v; break;
                case MqttPropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = (byte)v; break;
                case MqttPropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = (byte)v; break;
                default: break;
            }
        }

        return p;
    }

    /// <summary>Bytes of the property block without its length prefix.</summary>
    internal int GetBlockLength()
    {
        int n = 0;
        n += PayloadFormatIndicator.HasValue ? 2 : 0;
        n += MessageExpiryInterval.HasValue ? 5 : 0;
        n += ContentType is null ? 0 : 1 + MqttSpanWriter.StringSize(ContentType);
        n += ResponseTopic is null ? 0 : 1 + MqttSpanWriter.StringSize(ResponseTopic);
        n += CorrelationData is null ? 0 : 1 + MqttSpanWriter.BinarySize(CorrelationData);
        if (SubscriptionIdentifiers is not null)
        {
            foreach (int id in SubscriptionIdentifiers)
            {
                if (id is < 1 or > 268_435_455)
                {
                    // [MQTT-3.8.2.1.2]: 1 to 268,435,455; 0 is a Protocol Error.
                    throw new ArgumentOutOfRangeException(nameof(SubscriptionIdentifiers), id, "A subscription identifier is 1 to 268,435,455.");
                }

                n += 1 + MqttSpanWriter.VariableIntegerSize(id);
            }
        }

        n += SessionExpiryInterval.HasValue ? 5 : 0;
        n += AssignedClientIdentifier is null ? 0 : 1 + MqttSpanWriter.StringSize(AssignedClientIdentifier);
        n += ServerKeepAlive.HasValue ? 3 : 0;
        n += AuthenticationMethod is null ? 0 : 1 + MqttSpanWriter.StringSize(AuthenticationMethod);
        n += AuthenticationData is null ? 0 : 1 + MqttSpanWriter.BinarySize(AuthenticationData);
        n += RequestProblemInformation.HasValue ? 2 : 0;
        n += WillDelayInterval.HasValue ? 5 : 0;
        n += RequestResponseInformation.HasValue ? 2 : 0;
        n += ResponseInformation is null ? 0 : 1 + MqttSpanWriter.StringSize(ResponseInformation);
        n += ServerReference is null ? 0 : 1 + MqttSpanWriter.StringSize(ServerReference);
        n += ReasonString is null ? 0 : 1 + MqttSpanWriter.StringSize(ReasonString);
        n += ReceiveMaximum.HasValue ? 3 : 0;
        n += TopicAliasMaximum.HasValue ? 3 : 0;
        n += TopicAlias.HasValue ? 3 : 0;
        n += MaximumQoS.HasValue ? 2 : 0;
        n += RetainAvailable.HasValue ? 2 : 0;
        if (UserProperties is not null)
        {
            foreach (MqttUserProperty up in UserProperties)
            {
                n += 1 + MqttSpanWriter.StringSize(up.Name) + MqttSpanWriter.StringSize(up.Value);
            }
        }

        n += MaximumPacketSize.HasValue ? 5 : 0;
        n += WildcardSubscriptionAvailable.HasValue ? 2 : 0;
        n += SubscriptionIdentifierAvailable.HasValue ? 2 : 0;
        n += SharedSubscriptionAvailable.HasValue ? 2 : 0;
        return n;
    }

    /// <summary>Writes the block (without its length prefix), in identifier order.</summary>
    internal void WriteBlock(ref MqttSpanWriter w)
    {
        WriteByte(ref w, MqttPropertyId.PayloadFormatIndicator, PayloadFormatIndicator);
        WriteUInt32(ref w, MqttPropertyId.MessageExpiryInterval, MessageExpiryInterval);
        WriteString(ref w, MqttPropertyId.ContentType, ContentType);
        WriteString(ref w, MqttPropertyId.ResponseTopic, ResponseTopic);
        if (CorrelationData is not null)
        {
            w.WriteByte((byte)MqttPropertyId.CorrelationData);
            w.WriteBinary(CorrelationData);
        }

        if (SubscriptionIdentifiers is not null)
        {
            foreach (int id in SubscriptionIdentifiers)
            {
                w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
                w.WriteVariableInteger(id);
            }
        }

        WriteUInt32(ref w, MqttPropertyId.SessionExpiryInterval, SessionExpiryInterval);
        WriteString(ref w, MqttPropertyId.AssignedClientIdentifier, AssignedClientIdentifier);
        WriteUInt16(ref w, MqttPropertyId.ServerKeepAlive, ServerKeepAlive);
        WriteString(ref w, MqttPropertyId.AuthenticationMethod, AuthenticationMethod);
        if (AuthenticationData is not null)
        {
            w.WriteByte((byte)MqttPropertyId.AuthenticationData);
            w.WriteBinary(AuthenticationData);
        }

        WriteByte(ref w, MqttPropertyId.RequestProblemInformation, RequestProblemInformation);
        WriteUInt32(ref w, MqttPropertyId.WillDelayInterval, WillDelayInterval);
        WriteByte(ref w, MqttPropertyId.RequestResponseInformation, RequestResponseInformation);
        WriteString(ref w, MqttPropertyId.ResponseInformation, ResponseInformation);
        WriteString(ref w, MqttPropertyId.ServerReference, ServerReference);
        WriteString(ref w, MqttPropertyId.ReasonString, ReasonString);
        WriteUInt16(ref w, MqttPropertyId.ReceiveMaximum, ReceiveMaximum);
        WriteUInt16(ref w, MqttPropertyId.TopicAliasMaximum, TopicAliasMaximum);
        WriteUInt16(ref w, MqttPropertyId.TopicAlias, TopicAlias);
        WriteByte(ref w, MqttPropertyId.MaximumQoS, MaximumQoS);
        WriteByte(ref w, MqttPropertyId.RetainAvailable, RetainAvailable);
        if (UserProperties is not null)
        {
            foreach (MqttUserProperty up in UserProperties)
            {
                w.WriteByte((byte)MqttPropertyId.UserProperty);
                w.WriteString(up.Name);
                w.WriteString(up.Value);
            }
        }

        WriteUInt32(ref w, MqttPropertyId.MaximumPacketSize, MaximumPacketSize);
        WriteByte(ref w, MqttPropertyId.WildcardSubscriptionAvailable, WildcardSubscriptionAvailable);
        WriteByte(ref w, MqttPropertyId.SubscriptionIdentifierAvailable, SubscriptionIdentifierAvailable);
        WriteByte(ref w, MqttPropertyId.SharedSubscriptionAvailable, SharedSubscriptionAvailable);
    }

    private static void WriteByte(ref MqttSpanWriter w, MqttPropertyId id, byte? value)
    {
        if (value.HasValue)
        {
            w.WriteByte((byte)id);
            w.WriteByte(value.Value);
        }
    }

    private static void WriteUInt16(ref MqttSpanWriter w, MqttPropertyId id, ushort? value)
    {
        if (value.HasValue)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(value.Value);
        }
    }

    private static void WriteUInt32(ref MqttSpanWriter w, MqttPropertyId id, uint? value)
    {
        if (value.HasValue)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(value.Value);
        }
    }

    private static void WriteString(ref MqttSpanWriter w, MqttPropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }
}
