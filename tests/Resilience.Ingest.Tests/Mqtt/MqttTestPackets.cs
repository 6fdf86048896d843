using System.Buffers;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

/// <summary>Sample packets of every type for both versions, encoded with the project's encoder.</summary>
internal static class MqttTestPackets
{
    public static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    public static object DecodeOne(byte[] bytes, MqttProtocolVersion version)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        MqttFrameReader.TryRead(ref buffer, out MqttFrame frame).Should().BeTrue();
        buffer.Length.Should().Be(0);
        return MqttPacketDecoder.Decode(frame, version);
    }

    public static MqttProperties FullConnectProperties() => new()
    {
        SessionExpiryInterval = 3600,
        ReceiveMaximum = 20,
        MaximumPacketSize = 65536,
        TopicAliasMaximum = 10,
        RequestResponseInformation = 1,
        RequestProblemInformation = 0,
        AuthenticationMethod = "SCRAM-SHA-1",
        AuthenticationData = [1, 2, 3],
        UserProperties = [new MqttUserProperty("site", "Đà Nẵng"), new MqttUserProperty("site", "Huế")],
    };

    /// <summary>Every packet type, encoded for <paramref name="version"/>, with a name for test output.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> All(MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        yield return ("CONNECT", Encode(w => MqttPacketEncoder.WriteConnect(w, new MqttConnectPacket
        {
            ProtocolVersion = version,
            CleanStart = false,
            KeepAliveSeconds = 60,
            ClientId = "dn-camle-wl",
            UserName = "dn-camle-wl",
            Password = Encoding.UTF8.GetBytes("secret"),
            Will = new MqttWillMessage
            {
                Topic = "sensors/danang/dn-camle-wl/status",
                Payload = "offline"u8.ToArray(),
                Qos = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Properties = v5 ? new MqttProperties { WillDelayInterval = 5, MessageExpiryInterval = 60, ContentType = "text/plain" } : null,
            },
            Properties = v5 ? FullConnectProperties() : null,
        })));
        yield return ("CONNACK", Encode(w => MqttPacketEncoder.WriteConnAck(w, new MqttConnAckPacket
        {
            SessionPresent = true,
            ReasonCode = 0,
            Properties = v5 ? new MqttProperties { AssignedClientIdentifier = "auto-1", MaximumQoS = 1, RetainAvailable = 1, ServerKeepAlive = 30, TopicAliasMaximum = 10, ReceiveMaximum = 100, WildcardSubscriptionAvailable = 1, SubscriptionIdentifierAvailable = 1, SharedSubscriptionAvailable = 1, ReasonString = "ok", ServerReference = "other", ResponseInformation = "resp/" } : null,
        }, version)));
        yield return ("PUBLISH0", Encode(w => MqttPacketEncoder.WritePublish(w, version, "sensors/danang/s1/telemetry"u8, "{\"seq\":1}"u8, MqttQualityOfService.AtMostOnce, false, false, 0)));
        yield return ("PUBLISH1", Encode(w => MqttPacketEncoder.WritePublish(w, version, "a/b"u8, "x"u8, MqttQualityOfService.AtLeastOnce, true, true, 7)));
        byte[] props = v5 ? PublishProperties() : [];
        yield return ("PUBLISH2", Encode(w => MqttPacketEncoder.WritePublish(w, version, "a/b"u8, new byte[300], MqttQualityOfService.ExactlyOnce, false, false, 65535, props)));
        foreach (MqttPacketType t in new[] { MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubRel, MqttPacketType.PubComp })
        {
            yield return (t.ToString(), Encode(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(t, 42), version)));
            if (v5)
            {
                yield return (t + "-reason", Encode(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(t, 43, t is MqttPacketType.PubRel or MqttPacketType.PubComp ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.NoMatchingSubscribers, new MqttProperties { ReasonString = "none" }), version)));
            }
        }

        yield return ("SUBSCRIBE", Encode(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket
        {
            PacketId = 9,
            Subscriptions =
            [
                new MqttSubscription { Filter = "sensors/+/s1/#", Qos = MqttQualityOfService.ExactlyOnce, NoLocal = v5, RetainAsPublished = v5, RetainHandling = v5 ? (byte)2 : (byte)0 },
                new MqttSubscription { Filter = "$share/g/alerts/#", Qos = MqttQualityOfService.AtMostOnce },
            ],
            Properties = v5 ? new MqttProperties { SubscriptionIdentifiers = [268_435_455] } : null,
        }, version)));
        yield return ("SUBACK", Encode(w => MqttPacketEncoder.WriteSubAck(w, new MqttSubAckPacket { PacketId = 9, ReasonCodes = [2, 0x80] }, version)));
        yield return ("UNSUBSCRIBE", Encode(w => MqttPacketEncoder.WriteUnsubscribe(w, new MqttUnsubscribePacket { PacketId = 10, Filters = ["a/#", "b/+"] }, version)));
        yield return ("UNSUBACK", Encode(w => MqttPacketEncoder.WriteUnsubAck(w, new MqttUnsubAckPacket { PacketId = 10, ReasonCodes = v5 ? [0, 0x11] : [] }, version)));
        yield return ("PINGREQ", Encode(MqttPacketEncoder.WritePingReq));
        yield return ("PINGRESP", Encode(MqttPacketEncoder.WritePingResp));
        yield return ("DISCONNECT", Encode(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket(), version)));
        if (v5)
        {
            yield return ("DISCONNECT-reason", Encode(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage, Properties = new MqttProperties { SessionExpiryInterval = 0, ReasonString = "bye" } }, version)));
            yield return ("AUTH", Encode(w => MqttPacketEncoder.WriteAuth(w, new MqttAuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = new MqttProperties { AuthenticationMethod = "m", AuthenticationData = [9] } })));
        }
    }

    public static byte[] PublishProperties()
    {
        // Topic alias 5, expiry 30 s, a response topic, correlation data, a user property and UTF-8 payload indicator.
        return
        [
            0x23, 0x00, 0x05,
            0x02, 0x00, 0x00, 0x00, 0x1E,
            0x08, 0x00, 0x03, (byte)'r', (byte)'/', (byte)'1',
            0x09, 0x00, 0x02, 0xCA, 0xFE,
            0x26, 0x00, 0x01, (byte)'k', 0x00, 0x01, (byte)'v',
            0x01, 0x01,
        ];
    }
}
