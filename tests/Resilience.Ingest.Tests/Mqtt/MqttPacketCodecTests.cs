using System.Buffers;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttPacketCodecTests
{
    public static TheoryData<MqttProtocolVersion, string> Packets()
    {
        var data = new TheoryData<MqttProtocolVersion, string>();
        foreach (MqttProtocolVersion v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach ((string name, _) in MqttTestPackets.All(v))
            {
                data.Add(v, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void DecodeThenEncode_EveryPacketType_ReproducesTheBytes(MqttProtocolVersion version, string name)
    {
        byte[] bytes = MqttTestPackets.All(version).Single(p => p.Name == name).Bytes;

        object packet = MqttTestPackets.DecodeOne(bytes, version);
        byte[] again = MqttTestPackets.Encode(w => Reencode(w, packet, version));

        again.Should().Equal(bytes);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void DecodeConnect_FullPacket_ReadsEveryField(MqttProtocolVersion version)
    {
        byte[] bytes = MqttTestPackets.All(version).First(p => p.Name == "CONNECT").Bytes;

        var connect = (MqttConnectPacket)MqttTestPackets.DecodeOne(bytes, version);

        connect.ProtocolVersion.Should().Be(version);
        connect.CleanStart.Should().BeFalse();
        connect.KeepAliveSeconds.Should().Be(60);
        connect.ClientId.Should().Be("dn-camle-wl");
        connect.UserName.Should().Be("dn-camle-wl");
        Encoding.UTF8.GetString(connect.Password!).Should().Be("secret");
        connect.Will!.Topic.Should().Be("sensors/danang/dn-camle-wl/status");
        connect.Will.Qos.Should().Be(MqttQualityOfService.AtLeastOnce);
        connect.Will.Retain.Should().BeTrue();
        if (version == MqttProtocolVersion.V500)
        {
            connect.Properties.Should().BeEquivalentTo(MqttTestPackets.FullConnectProperties());
            connect.Will.Properties!.WillDelayInterval.Should().Be(5);
        }
        else
        {
            connect.Properties.Should().BeNull();
        }
    }

    [Fact]
    public void DecodePublish_V5WithProperties_ExposesAliasExpiryAndPayloadSlices()
    {
        byte[] bytes = MqttTestPackets.All(MqttProtocolVersion.V500).First(p => p.Name == "PUBLISH2").Bytes;

        var publish = (MqttPublishPacket)MqttTestPackets.DecodeOne(bytes, MqttProtocolVersion.V500);

        Encoding.UTF8.GetString(publish.Topic.Span).Should().Be("a/b");
        publish.Qos.Should().Be(MqttQualityOfService.ExactlyOnce);
        publish.PacketId.Should().Be(65535);
        publish.TopicAlias.Should().Be(5);
        publish.MessageExpiryInterval.Should().Be(30);
        publish.Payload.Length.Should().Be(300);
        publish.Properties.ToArray().Should().Equal(MqttTestPackets.PublishProperties());
    }

    [Fact]
    public void DecodePublish_SingleSegment_AllocatesNothing()
    {
        byte[] bytes = MqttTestPackets.Encode(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V500, "sensors/danang/s1/telemetry"u8, new byte[64], MqttQualityOfService.AtMostOnce, false, false, 0));
        ReadOnlyMemory<byte> body = bytes.AsMemory(2);
        MqttPacketDecoder.DecodePublish(body, 0, MqttProtocolVersion.V500);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            Resilience.Ingest.Mqtt.Framing.MqttFrameReader.TryRead(ref buffer, out Resilience.Ingest.Mqtt.Framing.MqttFrame frame);
            MqttPacketDecoder.DecodePublish(frame.Body.First, frame.Flags, MqttProtocolVersion.V500);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void WritePublish_WithSubscriptionIdentifier_AppendsItToTheProperties()
    {
        byte[] bytes = MqttTestPackets.Encode(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V500, "t"u8, "p"u8, MqttQualityOfService.AtMostOnce, false, false, 0, default, 300));

        var publish = (MqttPublishPacket)MqttTestPackets.DecodeOne(bytes, MqttProtocolVersion.V500);

        publish.Properties.ToArray().Should().Equal(0x0B, 0xAC, 0x02);
        Encoding.UTF8.GetString(publish.Payload.Span).Should().Be("p");
    }

    [Fact]
    public void WriteConnect_V31_UsesTheMqisdpProtocolName()
    {
        byte[] bytes = MqttTestPackets.Encode(w => MqttPacketEncoder.WriteConnect(w, new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V310, ClientId = "c" }));

        var connect = (MqttConnectPacket)MqttTestPackets.DecodeOne(bytes, MqttProtocolVersion.V311);

        connect.ProtocolVersion.Should().Be(MqttProtocolVersion.V310);
        bytes.AsSpan(4, 6).SequenceEqual("MQIsdp"u8).Should().BeTrue();
    }

    internal static void Reencode(IBufferWriter<byte> w, object packet, MqttProtocolVersion version)
    {
        switch (packet)
        {
            case MqttConnectPacket p: MqttPacketEncoder.WriteConnect(w, p); break;
            case MqttConnAckPacket p: MqttPacketEncoder.WriteConnAck(w, p, version); break;
            case MqttPublishPacket p: MqttPacketEncoder.WritePublish(w, p, version); break;
            case MqttAckPacket p: MqttPacketEncoder.WriteAck(w, p, version); break;
            case MqttSubscribePacket p: MqttPacketEncoder.WriteSubscribe(w, p, version); break;
            case MqttSubAckPacket p: MqttPacketEncoder.WriteSubAck(w, p, version); break;
            case MqttUnsubscribePacket p: MqttPacketEncoder.WriteUnsubscribe(w, p, version); break;
            case MqttUnsubAckPacket p: MqttPacketEncoder.WriteUnsubAck(w, p, version); break;
            case MqttPacketType.PingReq: MqttPacketEncoder.WritePingReq(w); break;
            case MqttPacketType.PingResp: MqttPacketEncoder.WritePingResp(w); break;
            case MqttDisconnectPacket p: MqttPacketEncoder.WriteDisconnect(w, p, version); break;
            case MqttAuthPacket p: MqttPacketEncoder.WriteAuth(w, p); break;
            default: throw new InvalidOperationException(packet.GetType().Name);
        }
    }
}
