using Resilience.Ingest.Mqtt.Framing;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Decoders for each control packet's body (the bytes after the fixed header). Every rule violation throws
/// <see cref="MqttProtocolException"/>; nothing else escapes. Trailing bytes are malformed.
/// </summary>
public static class MqttPacketDecoder
{
    /// <summary>Decodes CONNECT; the protocol level inside decides the version.</summary>
    public static MqttConnectPacket DecodeConnect(ReadOnlySpan<byte> body)
    {
        var r = new MqttSpanReader(body);
        ReadOnlySpan<byte> name = r.ReadUtf8();
        byte level = r.ReadByte();
        bool mqtt = name.SequenceEqual("MQTT"u8);
        bool mqisdp = name.SequenceEqual("MQIsdp"u8);
        if (!mqtt && !mqisdp)
        {
            MqttProtocolException.ThrowProtocolError("Unknown protocol name.");
        }

        if (!((mqtt && (level == 4 || level == 5)) || (mqisdp && level == 3)))
        {
            MqttProtocolException.Throw(MqttReasonCode.UnsupportedProtocolVersion, $"Unsupported protocol level {level}.");
        }

        var version = (MqttProtocolVersion)level;
        bool v5 = version == MqttProtocolVersion.V500;
        byte flags = r.ReadByte();
        if ((flags & 0x01) != 0)
        {
            MqttProtocolException.ThrowMalformed("CONNECT reserved flag is set.");
        }

        bool willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        bool willRetain = (flags & 0x20) != 0;
        bool passwordFlag = (flags & 0x40) != 0;
        bool userNameFlag = (flags & 0x80) != 0;
        if (willQos == 3)
        {
            MqttProtocolException.ThrowMalformed("Will QoS 3.");
        }

        if (!willFlag && (willQos != 0 || willRetain))
        {
            MqttProtocolException.ThrowMalformed("Will QoS or retain set without the will flag.");
        }

        if (!v5 && passwordFlag && !userNameFlag)
        {
            MqttProtocolException.ThrowMalformed("Password flag without user name flag.");
        }

        var packet = new MqttConnectPacket
        {
            ProtocolVersion = version,
            CleanStart = (flags & 0x02) != 0,
            KeepAliveSeconds = r.ReadUInt16(),
        };
        if (v5)
        {
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Connect);
        }

        packet.ClientId = MqttUtf8.GetString(r.ReadUtf8());
        if (willFlag)
        {
            var will = new MqttWillMessage { Qos = (MqttQualityOfService)willQos, Retain = willRetain };
            if (v5)
            {
                will.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Will);
            }

            ReadOnlySpan<byte> topic = r.ReadUtf8();
            if (topic.IsEmpty || !MqttTopic.IsValidName(topic))
            {
                MqttProtocolException.Throw(MqttReasonCode.TopicNameInvalid, "Will topic is empty or has wildcards.");
            }

            will.Topic = MqttUtf8.GetString(topic);
            will.Payload = r.ReadBinary().ToArray();
            packet.Will = will;
        }

        if (userNameFlag)
        {
            packet.UserName = MqttUtf8.GetString(r.ReadUtf8());
        }

        if (passwordFlag)
        {
            packet.Password = r.ReadBinary().ToArray();
        }

        EnsureEnd(ref r);
        return packet;
    }

    /// <summary>Decodes CONNACK.</summary>
    public static MqttConnAckPacket DecodeConnAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        byte flags = r.ReadByte();
        if ((flags & 0xFE) != 0)
        {
            MqttProtocolException.ThrowMalformed("CONNACK reserved flags are set.");
        }

        var packet = new MqttConnAckPacket { SessionPresent = (flags & 0x01) != 0, ReasonCode = r.ReadByte() };
        if (version == MqttProtocolVersion.V500)
        {
            MqttReasonCodeRules.Check(MqttPacketType.ConnAck, packet.ReasonCode);
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.ConnAck);
        }
        else if (packet.ReasonCode > 5)
        {
            MqttProtocolException.ThrowMalformed("CONNACK return code above 5.");
        }

        EnsureEnd(ref r);
        return packet;
    }

    /// <summary>Decodes PUBLISH without allocating: topic, payload and properties are slices of <paramref name="body"/>.</summary>
    public static MqttPublishPacket DecodePublish(ReadOnlyMemory<byte> body, byte flags, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body.Span);
        (int topicOffset, int topicLength) = r.ReadUtf8Range();
        ReadOnlyMemory<byte> topic = body.Slice(topicOffset, topicLength);
        if (!MqttTopic.IsValidName(topic.Span))
        {
            MqttProtocolException.Throw(MqttReasonCode.TopicNameInvalid, "PUBLISH topic contains a wildcard.");
        }

        var qos = (MqttQualityOfService)((flags >> 1) & 0x03);
        bool dup = (flags & 0x08) != 0;
        if (qos == MqttQualityOfService.AtMostOnce && dup)
        {
            MqttProtocolException.ThrowMalformed("DUP set on a QoS 0 PUBLISH.");
        }

        ushort packetId = 0;
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            packetId = r.ReadUInt16();
            if (packetId == 0)
            {
                MqttProtocolException.ThrowProtocolError("QoS > 0 PUBLISH with packet identifier 0.");
            }
        }

        ReadOnlyMemory<byte> properties = default;
        ushort alias = 0;
        uint? expiry = null;
        if (version == MqttProtocolVersion.V500)
        {
            int length = r.ReadVariableInteger();
            int offset = r.Position;
            ReadOnlySpan<byte> block = r.ReadBytes(length);
            if (!block.IsEmpty)
            {
                properties = body.Slice(offset, length);
                MqttPropertyReader.Validate(block, MqttPropertyContext.Publish);
                var pr = new MqttPropertyReader(block);
                while (pr.MoveNext())
                {
                    if (pr.Id == MqttPropertyId.TopicAlias)
                    {
                        alias = (ushort)pr.Value;
                    }
                    else if (pr.Id == MqttPropertyId.MessageExpiryInterval)
                    {
                        expiry = pr.Value;
                    }
                }
            }
        }

        if (topicLength == 0 && alias == 0)
        {
            MqttProtocolException.Throw(MqttReasonCode.TopicNameInvalid, "PUBLISH with an empty topic and no topic alias.");
        }

        ReadOnlyMemory<byte> payload = body.Slice(r.Position);
        return new MqttPublishPacket(topic, payload, qos, (flags & 0x01) != 0, dup, packetId, properties, alias, expiry);
    }

    /// <summary>Decodes PUBACK, PUBREC, PUBREL or PUBCOMP.</summary>
    public static MqttAckPacket DecodeAck(MqttPacketType type, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        ushort packetId = r.ReadUInt16();
        if (packetId == 0)
        {
            MqttProtocolException.ThrowProtocolError($"{type} with packet identifier 0.");
        }

        var reason = MqttReasonCode.Success;
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            byte code = r.ReadByte();
            MqttReasonCodeRules.Check(type, code);
            reason = (MqttReasonCode)code;
            if (!r.End)
            {
                properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.PubAck);
            }
        }

        EnsureEnd(ref r);
        return new MqttAckPacket(type, packetId, reason, properties);
    }

    /// <summary>Decodes SUBSCRIBE.</summary>
    public static MqttSubscribePacket DecodeSubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        var packet = new MqttSubscribePacket { PacketId = ReadNonZeroPacketId(ref r, "SUBSCRIBE") };
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Subscribe);
        }

        if (r.End)
        {
            MqttProtocolException.ThrowProtocolError("SUBSCRIBE without a topic filter.");
        }

        while (!r.End)
        {
            string filter = MqttUtf8.GetString(r.ReadUtf8());
            byte options = r.ReadByte();
            int qos = options & 0x03;
            if (qos == 3)
            {
                MqttProtocolException.ThrowMalformed("SUBSCRIBE with QoS 3.");
            }

            if ((options & (v5 ? 0xC0 : 0xFC)) != 0)
            {
                MqttProtocolException.ThrowMalformed("SUBSCRIBE options reserved bits are set.");
            }

            byte retainHandling = (byte)((options >> 4) & 0x03);
            if (retainHandling == 3)
            {
                MqttProtocolException.ThrowProtocolError("SUBSCRIBE retain handling 3.");
            }

            packet.Subscriptions.Add(new MqttSubscription
            {
                Filter = filter,
                Qos = (MqttQualityOfService)qos,
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = retainHandling,
            });
        }

        return packet;
    }

    /// <summary>Decodes SUBACK.</summary>
    public static MqttSubAckPacket DecodeSubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        var packet = new MqttSubAckPacket { PacketId = ReadNonZeroPacketId(ref r, "SUBACK") };
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.SubAck);
        }

        if (r.End)
        {
            MqttProtocolException.ThrowProtocolError("SUBACK without a return code.");
        }

        while (!r.End)
        {
            byte code = r.ReadByte();
            if (!v5 && code > 2 && code != 0x80)
            {
                MqttProtocolException.ThrowMalformed($"SUBACK return code 0x{code:X2}.");
            }

            if (v5)
            {
                MqttReasonCodeRules.Check(MqttPacketType.SubAck, code);
            }

            packet.ReasonCodes.Add(code);
        }

        return packet;
    }

    /// <summary>Decodes UNSUBSCRIBE.</summary>
    public static MqttUnsubscribePacket DecodeUnsubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        var packet = new MqttUnsubscribePacket { PacketId = ReadNonZeroPacketId(ref r, "UNSUBSCRIBE") };
        if (version == MqttProtocolVersion.V500)
        {
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Unsubscribe);
        }

        if (r.End)
        {
            MqttProtocolException.ThrowProtocolError("UNSUBSCRIBE without a topic filter.");
        }

        while (!r.End)
        {
            packet.Filters.Add(MqttUtf8.GetString(r.ReadUtf8()));
        }

        return packet;
    }

    /// <summary>Decodes UNSUBACK.</summary>
    public static MqttUnsubAckPacket DecodeUnsubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        var packet = new MqttUnsubAckPacket { PacketId = ReadNonZeroPacketId(ref r, "UNSUBACK") };
        if (version == MqttProtocolVersion.V500)
        {
            packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.UnsubAck);
            while (!r.End)
            {
                byte code = r.ReadByte();
                MqttReasonCodeRules.Check(MqttPacketType.UnsubAck, code);
                packet.ReasonCodes.Add(code);
            }
        }

        EnsureEnd(ref r);
        return packet;
    }

    /// <summary>Checks PINGREQ / PINGRESP, whose body must be empty.</summary>
    public static void DecodeEmpty(MqttPacketType type, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
        {
            MqttProtocolException.ThrowMalformed($"{type} with a non-zero remaining length.");
        }
    }

    /// <summary>Decodes DISCONNECT.</summary>
    public static MqttDisconnectPacket DecodeDisconnect(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new MqttSpanReader(body);
        var packet = new MqttDisconnectPacket();
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            byte code = r.ReadByte();
            MqttReasonCodeRules.Check(MqttPacketType.Disconnect, code);
            packet.ReasonCode = (MqttReasonCode)code;
            if (!r.End)
            {
                packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Disconnect);
            }
        }

        EnsureEnd(ref r);
        return packet;
    }

    /// <summary>Decodes AUTH (5.0 only).</summary>
    public static MqttAuthPacket DecodeAuth(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            MqttProtocolException.ThrowMalformed("AUTH is reserved before MQTT 5.0.");
        }

        var r = new MqttSpanReader(body);
        var packet = new MqttAuthPacket();
        if (!r.End)
        {
            byte code = r.ReadByte();
            MqttReasonCodeRules.Check(MqttPacketType.Auth, code);
            packet.ReasonCode = (MqttReasonCode)code;
            if (!r.End)
            {
                packet.Properties = MqttProperties.Parse(ReadPropertyBlock(ref r), MqttPropertyContext.Auth);
            }
        }

        EnsureEnd(ref r);
        return packet;
    }

    /// <summary>
    /// Decodes any frame into its packet object (boxing the structs): for tests, fuzzing and tools; the
    /// broker dispatches on <see cref="MqttFrame.Type"/> itself.
    /// </summary>
    public static object Decode(in MqttFrame frame, MqttProtocolVersion version)
    {
        ReadOnlyMemory<byte> body = frame.Body.IsSingleSegment ? frame.Body.First : System.Buffers.BuffersExtensions.ToArray(frame.Body);
        ReadOnlySpan<byte> span = body.Span;
        switch (frame.Type)
        {
            case MqttPacketType.Connect: return DecodeConnect(span);
            case MqttPacketType.ConnAck: return DecodeConnAck(span, version);
            case MqttPacketType.Publish: return DecodePublish(body, frame.Flags, version);
            case MqttPacketType.PubAck:
            case MqttPacketType.PubRec:
            case MqttPacketType.PubRel:
            case MqttPacketType.PubComp:
                return DecodeAck(frame.Type, span, version);
            case MqttPacketType.Subscribe: return DecodeSubscribe(span, version);
            case MqttPacketType.SubAck: return DecodeSubAck(span, version);
            case MqttPacketType.Unsubscribe: return DecodeUnsubscribe(span, version);
            case MqttPacketType.UnsubAck: return DecodeUnsubAck(span, version);
            case MqttPacketType.PingReq:
            case MqttPacketType.PingResp:
                DecodeEmpty(frame.Type, span);
                return frame.Type;
            case MqttPacketType.Disconnect: return DecodeDisconnect(span, version);
            case MqttPacketType.Auth: return DecodeAuth(span, version);
            default:
                MqttProtocolException.ThrowMalformed("Reserved packet type.");
                return null!;
        }
    }

    private static ReadOnlySpan<byte> ReadPropertyBlock(ref MqttSpanReader r)
    {
        int length = r.ReadVariableInteger();
        return r.ReadBytes(length);
    }

    private static ushort ReadNonZeroPacketId(ref MqttSpanReader r, string what)
    {
        ushort id = r.ReadUInt16();
        if (id == 0)
        {
            MqttProtocolException.ThrowProtocolError($"{what} with packet identifier 0.");
        }

        return id;
    }

    private static void EnsureEnd(ref MqttSpanReader r)
    {
        if (!r.End)
        {
            MqttProtocolException.ThrowMalformed("Unexpected bytes after the end of the packet.");
        }
    }
}
