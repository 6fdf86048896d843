using System.Buffers;
using Resilience.Ingest.Mqtt.Framing;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Encoders for every control packet. Each computes the exact size first, takes one span from the
/// <see cref="IBufferWriter{T}"/> and writes the packet in a single pass.
/// </summary>
public static class MqttPacketEncoder
{
    /// <summary>The largest subscription identifier (a four-byte variable byte integer).</summary>
    public const int MaxSubscriptionIdentifier = 268_435_455;

    /// <summary>Writes CONNECT (the version is the packet's <see cref="MqttConnectPacket.ProtocolVersion"/>).</summary>
    public static void WriteConnect(IBufferWriter<byte> output, MqttConnectPacket packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = packet.ProtocolVersion == MqttProtocolVersion.V500;
        bool v31 = packet.ProtocolVersion == MqttProtocolVersion.V310;
        ValidateConnect(packet, v5, v31);
        int length = (v31 ? 8 : 6) + 1 + 1 + 2;
        if (v5)
        {
            length += PropertiesSize(packet.Properties);
        }

        length += MqttSpanWriter.StringSize(packet.ClientId);
        MqttWillMessage? will = packet.Will;
        if (will is not null)
        {
            if (v5)
            {
                length += PropertiesSize(will.Properties);
            }

            length += MqttSpanWriter.StringSize(will.Topic) + MqttSpanWriter.BinarySize(will.Payload);
        }

        if (packet.UserName is not null)
        {
            length += MqttSpanWriter.StringSize(packet.UserName);
        }

        if (packet.Password is not null)
        {
            length += MqttSpanWriter.BinarySize(packet.Password);
        }

        MqttSpanWriter w = Begin(output, 0x10, length, out int total);
        w.WriteBinary(v31 ? "MQIsdp"u8 : "MQTT"u8);
        w.WriteByte((byte)packet.ProtocolVersion);
        int flags = packet.CleanStart ? 0x02 : 0;
        if (will is not null)
        {
            flags |= 0x04 | ((int)will.Qos << 3) | (will.Retain ? 0x20 : 0);
        }

        flags |= packet.Password is null ? 0 : 0x40;
        flags |= packet.UserName is null ? 0 : 0x80;
        w.WriteByte((byte)flags);
        w.WriteUInt16(packet.KeepAliveSeconds);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
        }

        w.WriteString(packet.ClientId);
        if (will is not null)
        {
            if (v5)
            {
                WriteProperties(ref w, will.Properties);
            }

            w.WriteString(will.Topic);
            w.WriteBinary(will.Payload);
        }

        if (packet.UserName is not null)
        {
            w.WriteString(packet.UserName);
        }

        if (packet.Password is not null)
        {
            w.WriteBinary(packet.Password);
        }

        output.Advance(total);
    }

    /// <summary>Refuses a CONNECT that no conforming receiver would accept, before anything is written.</summary>
    private static void ValidateConnect(MqttConnectPacket packet, bool v5, bool v31)
    {
        if (!Enum.IsDefined(packet.ProtocolVersion))
        {
            throw new ArgumentException($"Protocol level {(byte)packet.ProtocolVersion} is not supported.", nameof(packet));
        }

        if (!v5 && packet.Password is not null && packet.UserName is null)
        {
            // 3.1.1 [MQTT-3.1.2-22]: if the User Name Flag is 0, the Password Flag MUST be 0.
            throw new ArgumentException("MQTT 3.1/3.1.1 cannot send a password without a user name [MQTT-3.1.2-22].", nameof(packet));
        }

        if (v31 && (packet.ClientId.Length == 0 || packet.ClientId.Length > 23))
        {
            // MQTT 3.1 §3.1: the client identifier is 1 to 23 characters.
            throw new ArgumentException("An MQTT 3.1 client identifier must be 1 to 23 characters.", nameof(packet));
        }

        MqttWillMessage? will = packet.Will;
        if (will is not null)
        {
            // [MQTT-3.1.3-11] and §4.7.3: a will topic is a topic name: at least one character, no wildcards.
            if (!MqttTopic.IsValidName(will.Topic.AsSpan()))
            {
                throw new ArgumentException($"Will topic '{will.Topic}' is empty or has a wildcard [MQTT-4.7.3-1].", nameof(packet));
            }

            if ((uint)will.Qos > 2)
            {
                // [MQTT-3.1.2-14]: Will QoS MUST NOT be 3.
                throw new ArgumentException($"Will QoS {(int)will.Qos} is not 0, 1 or 2 [MQTT-3.1.2-14].", nameof(packet));
            }
        }
    }

    /// <summary>Writes CONNACK.</summary>
    public static void WriteConnAck(IBufferWriter<byte> output, MqttConnAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = version == MqttProtocolVersion.V500;
        int length = 2 + (v5 ? PropertiesSize(packet.Properties) : 0);
        MqttSpanWriter w = Begin(output, 0x20, length, out int total);
        w.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        w.WriteByte(packet.ReasonCode);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
        }

        output.Advance(total);
    }

    /// <summary>Re-encodes a decoded PUBLISH.</summary>
    public static void WritePublish(IBufferWriter<byte> output, in MqttPublishPacket packet, MqttProtocolVersion version)
        => WritePublish(output, version, packet.Topic.Span, packet.Payload.Span, packet.Qos, packet.Retain, packet.Dup, packet.PacketId, packet.Properties.Span);

    /// <summary>
    /// Writes PUBLISH without allocating. <paramref name="properties"/> is a raw v5 property block (ignored for
    /// 3.1.1); <paramref name="subscriptionIdentifier"/> (v5, 0 = none) is appended to it.
    /// </summary>
    public static void WritePublish(
        IBufferWriter<byte> output,
        MqttProtocolVersion version,
        ReadOnlySpan<byte> topic,
        ReadOnlySpan<byte> payload,
        MqttQualityOfService qos,
        bool retain,
        bool dup,
        ushort packetId,
        ReadOnlySpan<byte> properties = default,
        int subscriptionIdentifier = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (topic.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Topic longer than 65,535 bytes.", nameof(topic));
        }

        if ((uint)qos > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2 [MQTT-3.3.1-4].");
        }

        if (qos != MqttQualityOfService.AtMostOnce && packetId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(packetId), packetId, "A QoS 1 or 2 PUBLISH needs a non-zero packet identifier [MQTT-2.2.1-3].");
        }

        if ((uint)subscriptionIdentifier > MaxSubscriptionIdentifier)
        {
            throw new ArgumentOutOfRangeException(nameof(subscriptionIdentifier), subscriptionIdentifier, "A subscription identifier is 1 to 268,435,455 (0 = none) [MQTT-3.8.2.1.2].");
        }

        if (!MqttTopic.IsValidName(topic))
        {
            throw new ArgumentException("A PUBLISH topic name has no wildcard characters [MQTT-3.3.2-2].", nameof(topic));
        }

        bool v5 = version == MqttProtocolVersion.V500;
        int propertyLength = 0;
        if (v5)
        {
            propertyLength = properties.Length + (subscriptionIdentifier > 0 ? 1 + MqttSpanWriter.VariableIntegerSize(subscriptionIdentifier) : 0);
        }

        long length = 2L + topic.Length + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2) + payload.Length;
        if (v5)
        {
            length += MqttSpanWriter.VariableIntegerSize(propertyLength) + propertyLength;
        }

        if (length > MqttFrameReader.MaxRemainingLength)
        {
            throw new ArgumentException("PUBLISH larger than the protocol's maximum.", nameof(payload));
        }

        int first = 0x30 | ((int)qos << 1) | (retain ? 1 : 0) | (dup ? 0x08 : 0);
        MqttSpanWriter w = Begin(output, (byte)first, (int)length, out int total);
        w.WriteBinary(topic);
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            w.WriteUInt16(packetId);
        }

        if (v5)
        {
            w.WriteVariableInteger(propertyLength);
            w.WriteBytes(properties);
            if (subscriptionIdentifier > 0)
            {
                w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
                w.WriteVariableInteger(subscriptionIdentifier);
            }
        }

        w.WriteBytes(payload);
        output.Advance(total);
    }

    /// <summary>
    /// The exact size in bytes (fixed header included) of the PUBLISH that <see cref="WritePublish(IBufferWriter{byte}, MqttProtocolVersion, ReadOnlySpan{byte}, ReadOnlySpan{byte}, MqttQualityOfService, bool, bool, ushort, ReadOnlySpan{byte}, int)"/>
    /// writes for these inputs: what a receiver compares with its Maximum Packet Size (MQTT 5.0 §3.1.2.11.4).
    /// </summary>
    public static long GetPublishSize(MqttProtocolVersion version, int topicLength, int payloadLength, MqttQualityOfService qos, int propertiesLength = 0, int subscriptionIdentifier = 0)
    {
        long remaining = 2L + topicLength + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2) + payloadLength;
        if (version == MqttProtocolVersion.V500)
        {
            int propertyLength = propertiesLength + (subscriptionIdentifier > 0 ? 1 + MqttSpanWriter.VariableIntegerSize(subscriptionIdentifier) : 0);
            remaining += MqttSpanWriter.VariableIntegerSize(propertyLength) + propertyLength;
        }

        return 1 + (remaining > MqttFrameReader.MaxRemainingLength ? 5 : MqttSpanWriter.VariableIntegerSize((int)remaining)) + remaining;
    }

    /// <summary>Writes PUBACK, PUBREC, PUBREL or PUBCOMP (v5: the short form when the reason is Success and there are no properties).</summary>
    public static void WriteAck(IBufferWriter<byte> output, in MqttAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (packet.PacketId == 0)
        {
            throw new ArgumentException("Acknowledgements carry a non-zero packet identifier [MQTT-2.2.1-3].", nameof(packet));
        }

        if (!MqttReasonCodeRules.IsValid(packet.Type, (byte)packet.ReasonCode))
        {
            throw new ArgumentException($"Reason code 0x{(byte)packet.ReasonCode:X2} is not defined for {packet.Type}.", nameof(packet));
        }

        bool v5 = version == MqttProtocolVersion.V500;
        bool reason = v5 && (packet.ReasonCode != MqttReasonCode.Success || packet.Properties is not null);
        bool props = v5 && packet.Properties is not null;
        int length = 2 + (reason ? 1 : 0) + (props ? PropertiesSize(packet.Properties) : 0);
        byte first = (byte)(((int)packet.Type << 4) | (packet.Type == MqttPacketType.PubRel ? 0x02 : 0));
        MqttSpanWriter w = Begin(output, first, length, out int total);
        w.WriteUInt16(packet.PacketId);
        if (reason)
        {
            w.WriteByte((byte)packet.ReasonCode);
        }

        if (props)
        {
            WriteProperties(ref w, packet.Properties);
        }

        output.Advance(total);
    }

    /// <summary>Writes SUBSCRIBE.</summary>
    public static void WriteSubscribe(IBufferWriter<byte> output, MqttSubscribePacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = version == MqttProtocolVersion.V500;
        RequirePacketIdAndEntries(packet.PacketId, packet.Subscriptions.Count, "SUBSCRIBE", "[MQTT-3.8.3-2]");
        int length = 2 + (v5 ? PropertiesSize(packet.Properties) : 0);
        foreach (MqttSubscription s in packet.Subscriptions)
        {
            if ((uint)s.Qos > 2 || s.RetainHandling > 2)
            {
                throw new ArgumentException($"Subscription '{s.Filter}': QoS is 0 to 2 and retain handling 0 to 2 [MQTT-3.8.3-4].", nameof(packet));
            }

            length += MqttSpanWriter.StringSize(s.Filter) + 1;
        }

        MqttSpanWriter w = Begin(output, 0x82, length, out int total);
        w.WriteUInt16(packet.PacketId);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
        }

        foreach (MqttSubscription s in packet.Subscriptions)
        {
            w.WriteString(s.Filter);
            int options = (int)s.Qos;
            if (v5)
            {
                options |= (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | (s.RetainHandling << 4);
            }

            w.WriteByte((byte)options);
        }

        output.Advance(total);
    }

    /// <summary>Writes SUBACK.</summary>
    public static void WriteSubAck(IBufferWriter<byte> output, MqttSubAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = version == MqttProtocolVersion.V500;
        foreach (byte code in packet.ReasonCodes)
        {
            if (v5 ? !MqttReasonCodeRules.IsValid(MqttPacketType.SubAck, code) : code is > 2 and not 0x80)
            {
                throw new ArgumentException($"SUBACK code 0x{code:X2} is not defined [MQTT-3.9.3-2].", nameof(packet));
            }
        }

        int length = 2 + (v5 ? PropertiesSize(packet.Properties) : 0) + packet.ReasonCodes.Count;
        MqttSpanWriter w = Begin(output, 0x90, length, out int total);
        w.WriteUInt16(packet.PacketId);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
        }

        foreach (byte code in packet.ReasonCodes)
        {
            w.WriteByte(code);
        }

        output.Advance(total);
    }

    /// <summary>Writes UNSUBSCRIBE.</summary>
    public static void WriteUnsubscribe(IBufferWriter<byte> output, MqttUnsubscribePacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = version == MqttProtocolVersion.V500;
        RequirePacketIdAndEntries(packet.PacketId, packet.Filters.Count, "UNSUBSCRIBE", "[MQTT-3.10.3-2]");
        int length = 2 + (v5 ? PropertiesSize(packet.Properties) : 0);
        foreach (string f in packet.Filters)
        {
            length += MqttSpanWriter.StringSize(f);
        }

        MqttSpanWriter w = Begin(output, 0xA2, length, out int total);
        w.WriteUInt16(packet.PacketId);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
        }

        foreach (string f in packet.Filters)
        {
            w.WriteString(f);
        }

        output.Advance(total);
    }

    /// <summary>Writes UNSUBACK (reason codes only in 5.0).</summary>
    public static void WriteUnsubAck(IBufferWriter<byte> output, MqttUnsubAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        bool v5 = version == MqttProtocolVersion.V500;
        int length = 2 + (v5 ? PropertiesSize(packet.Properties) + packet.ReasonCodes.Count : 0);
        MqttSpanWriter w = Begin(output, 0xB0, length, out int total);
        w.WriteUInt16(packet.PacketId);
        if (v5)
        {
            WriteProperties(ref w, packet.Properties);
            foreach (byte code in packet.ReasonCodes)
            {
                w.WriteByte(code);
            }
        }

        output.Advance(total);
    }

    /// <summary>Writes PINGREQ.</summary>
    public static void WritePingReq(IBufferWriter<byte> output) => WriteTwoBytes(output, 0xC0);

    /// <summary>Writes PINGRESP.</summary>
    public static void WritePingResp(IBufferWriter<byte> output) => WriteTwoBytes(output, 0xD0);

    /// <summary>Writes DISCONNECT (v5: reason code and properties; the short form for a plain normal disconnection).</summary>
    public static void WriteDisconnect(IBufferWriter<byte> output, MqttDisconnectPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        CheckReason(MqttPacketType.Disconnect, packet.ReasonCode, version == MqttProtocolVersion.V500);
        WriteReasonAndProperties(output, 0xE0, version == MqttProtocolVersion.V500, packet.ReasonCode, packet.Properties);
    }

    /// <summary>Writes AUTH (5.0 only).</summary>
    public static void WriteAuth(IBufferWriter<byte> output, MqttAuthPacket packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        CheckReason(MqttPacketType.Auth, packet.ReasonCode, true);
        WriteReasonAndProperties(output, 0xF0, true, packet.ReasonCode, packet.Properties);
    }

    private static void WriteReasonAndProperties(IBufferWriter<byte> output, byte first, bool v5, MqttReasonCode reasonCode, MqttProperties? properties)
    {
        bool reason = v5 && (reasonCode != MqttReasonCode.Success || properties is not null);
        bool props = v5 && properties is not null;
        int length = (reason ? 1 : 0) + (props ? PropertiesSize(properties) : 0);
        MqttSpanWriter w = Begin(output, first, length, out int total);
        if (reason)
        {
            w.WriteByte((byte)reasonCode);
        }

        if (props)
        {
            WriteProperties(ref w, properties);
        }

        output.Advance(total);
    }

    private static void CheckReason(MqttPacketType type, MqttReasonCode code, bool v5)
    {
        if (v5 && !MqttReasonCodeRules.IsValid(type, (byte)code))
        {
            throw new ArgumentException($"Reason code 0x{(byte)code:X2} is not defined for {type}.", nameof(code));
        }
    }

    private static void RequirePacketIdAndEntries(ushort packetId, int entries, string what, string rule)
    {
        if (packetId == 0)
        {
            throw new ArgumentException($"{what} needs a non-zero packet identifier [MQTT-2.2.1-3].", nameof(packetId));
        }

        if (entries == 0)
        {
            throw new ArgumentException($"{what} needs at least one topic filter {rule}.", nameof(entries));
        }
    }

    private static void WriteTwoBytes(IBufferWriter<byte> output, byte first)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(2);
        span[0] = first;
        span[1] = 0;
        output.Advance(2);
    }

    private static MqttSpanWriter Begin(IBufferWriter<byte> output, byte first, int remainingLength, out int total)
    {
        if ((uint)remainingLength > MqttFrameReader.MaxRemainingLength)
        {
            throw new ArgumentException("Packet larger than the protocol's maximum.", nameof(remainingLength));
        }

        total = 1 + MqttSpanWriter.VariableIntegerSize(remainingLength) + remainingLength;
        var w = new MqttSpanWriter(output.GetSpan(total).Slice(0, total));
        w.WriteByte(first);
        w.WriteVariableInteger(remainingLength);
        return w;
    }

    private static int PropertiesSize(MqttProperties? properties)
    {
        int block = properties?.GetBlockLength() ?? 0;
        return MqttSpanWriter.VariableIntegerSize(block) + block;
    }

    private static void WriteProperties(ref MqttSpanWriter w, MqttProperties? properties)
    {
        int block = properties?.GetBlockLength() ?? 0;
        w.WriteVariableInteger(block);
        properties?.WriteBlock(ref w);
    }
}
