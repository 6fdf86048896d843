using System.Buffers;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

/// <summary>The encoder refuses input no conforming receiver accepts, and writes nothing when it does.</summary>
public sealed class MqttEncoderValidationTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V310)]
    public void Connect_PasswordWithoutUserName_IsRefusedBefore50(MqttProtocolVersion version)
    {
        // [MQTT-3.1.2-22]: if the User Name Flag is set to 0, the Password Flag MUST be set to 0.
        var connect = new MqttConnectPacket { ProtocolVersion = version, ClientId = "c", Password = [1] };

        AssertRefused(w => MqttPacketEncoder.WriteConnect(w, connect));
    }

    [Fact]
    public void Connect_PasswordWithoutUserName_IsAllowedIn50()
    {
        // MQTT 5.0 §3.1.2.9 allows a password without a user name.
        var connect = new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "c", Password = [1] };

        object decoded = MqttTestPackets.DecodeOne(MqttTestPackets.Encode(w => MqttPacketEncoder.WriteConnect(w, connect)), MqttProtocolVersion.V500);

        ((MqttConnectPacket)decoded).Password.Should().Equal(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sensors/+/status")]
    [InlineData("sensors/#")]
    public void Connect_WillTopicEmptyOrWildcard_IsRefused(string topic)
    {
        // [MQTT-3.1.3-11] with §4.7.3 [MQTT-4.7.3-1]: a will topic is a topic name of at least one character, no wildcards.
        var connect = new MqttConnectPacket { ClientId = "c", Will = new MqttWillMessage { Topic = topic, Payload = [1] } };

        AssertRefused(w => MqttPacketEncoder.WriteConnect(w, connect));
    }

    [Fact]
    public void Connect_WillQos3_IsRefused()
    {
        // [MQTT-3.1.2-14]: the Will QoS MUST NOT be 3.
        var connect = new MqttConnectPacket { ClientId = "c", Will = new MqttWillMessage { Topic = "a", Qos = (MqttQualityOfService)3 } };

        AssertRefused(w => MqttPacketEncoder.WriteConnect(w, connect));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwx")]
    public void Connect_Mqtt31ClientIdEmptyOrOver23_IsRefused(string clientId)
    {
        // MQTT 3.1 §3.1: the client identifier is between 1 and 23 characters.
        var connect = new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V310, ClientId = clientId };

        AssertRefused(w => MqttPacketEncoder.WriteConnect(w, connect));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    [InlineData(int.MinValue)]
    public void Subscribe_SubscriptionIdentifierOutOfRange_IsRefused(int id)
    {
        // [MQTT-3.8.2.1.2]: 1 to 268,435,455; 0 is a Protocol Error.
        var subscribe = new MqttSubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new MqttSubscription { Filter = "a" }],
            Properties = new MqttProperties { SubscriptionIdentifiers = [id] },
        };

        AssertRefused(w => MqttPacketEncoder.WriteSubscribe(w, subscribe, MqttProtocolVersion.V500));
    }

    [Fact]
    public void Subscribe_LargestSubscriptionIdentifier_RoundTrips()
    {
        var subscribe = new MqttSubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new MqttSubscription { Filter = "a" }],
            Properties = new MqttProperties { SubscriptionIdentifiers = [MqttPacketEncoder.MaxSubscriptionIdentifier] },
        };

        object decoded = MqttTestPackets.DecodeOne(MqttTestPackets.Encode(w => MqttPacketEncoder.WriteSubscribe(w, subscribe, MqttProtocolVersion.V500)), MqttProtocolVersion.V500);

        ((MqttSubscribePacket)decoded).Properties!.SubscriptionIdentifiers.Should().Equal(MqttPacketEncoder.MaxSubscriptionIdentifier);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void Publish_SubscriptionIdentifierOutOfRange_IsRefused(int id)
    {
        AssertRefused(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V500, "a"u8, "x"u8, MqttQualityOfService.AtMostOnce, false, false, 0, default, id));
    }

    [Fact]
    public void Publish_QosAboveZeroWithPacketIdZero_WildcardTopicOrQos3_AreRefused()
    {
        // [MQTT-2.2.1-3] packet id non-zero; [MQTT-3.3.2-2] no wildcard in a topic name; [MQTT-3.3.1-4] QoS 3 is malformed.
        AssertRefused(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V311, "a"u8, "x"u8, MqttQualityOfService.AtLeastOnce, false, false, 0));
        AssertRefused(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V311, "a/+"u8, "x"u8, MqttQualityOfService.AtMostOnce, false, false, 0));
        AssertRefused(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V311, "a"u8, "x"u8, (MqttQualityOfService)3, false, false, 1));
    }

    [Fact]
    public void SubscribeAndUnsubscribe_WithoutFiltersOrPacketId_AreRefused()
    {
        // [MQTT-3.8.3-2] / [MQTT-3.10.3-2]: at least one topic filter; [MQTT-2.2.1-3]: non-zero packet identifier.
        AssertRefused(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 1 }, MqttProtocolVersion.V311));
        AssertRefused(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 0, Subscriptions = [new MqttSubscription { Filter = "a" }] }, MqttProtocolVersion.V311));
        AssertRefused(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 1, Subscriptions = [new MqttSubscription { Filter = "a", RetainHandling = 3 }] }, MqttProtocolVersion.V500));
        AssertRefused(w => MqttPacketEncoder.WriteUnsubscribe(w, new MqttUnsubscribePacket { PacketId = 1 }, MqttProtocolVersion.V311));
        AssertRefused(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubAck, 0), MqttProtocolVersion.V311));
    }

    private static void AssertRefused(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();

        FluentActions.Invoking(() => write(writer)).Should().Throw<ArgumentException>();
        writer.WrittenCount.Should().Be(0, "nothing is written for a refused packet");
    }
}

/// <summary><see cref="MqttPacketEncoder.GetPublishSize"/> is what the encoder writes, across every length-prefix boundary.</summary>
public sealed class MqttPublishSizeTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311, 0, 0, 0)]
    [InlineData(MqttProtocolVersion.V311, 1, 0, 0)]
    [InlineData(MqttProtocolVersion.V500, 0, 0, 0)]
    [InlineData(MqttProtocolVersion.V500, 1, 7, 1)]
    [InlineData(MqttProtocolVersion.V500, 2, 7, 127)]
    [InlineData(MqttProtocolVersion.V500, 1, 0, 128)]
    [InlineData(MqttProtocolVersion.V500, 2, 120, 16_383)]
    [InlineData(MqttProtocolVersion.V500, 0, 0, 268_435_455)]
    public void GetPublishSize_EqualsTheBytesWritten(MqttProtocolVersion version, int qos, int propertyBytes, int subscriptionId)
    {
        // Payload lengths straddling the 1/2/3-byte remaining-length boundaries (127/128, 16,383/16,384, 2,097,151/2,097,152).
        int[] payloads = [0, 100, 110, 118, 119, 120, 121, 127, 128, 16_360, 16_370, 16_380, 16_384, 2_097_130, 2_097_140, 2_097_152];
        byte[] properties = new byte[propertyBytes];
        for (int i = 0; i + 5 <= propertyBytes; i += 5)
        {
            // Message Expiry Interval properties (valid as a block for any count).
            properties[i] = 0x02;
        }

        foreach (int length in payloads)
        {
            var writer = new ArrayBufferWriter<byte>();
            MqttPacketEncoder.WritePublish(writer, version, "a/b"u8, new byte[length], (MqttQualityOfService)qos, false, false, (ushort)(qos == 0 ? 0 : 1), properties, subscriptionId);

            MqttPacketEncoder.GetPublishSize(version, 3, length, (MqttQualityOfService)qos, propertyBytes, subscriptionId)
                .Should().Be(writer.WrittenCount, $"payload {length}");
        }
    }
}
