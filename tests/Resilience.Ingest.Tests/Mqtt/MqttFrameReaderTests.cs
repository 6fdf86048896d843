using System.Buffers;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttFrameReaderTests
{
    public static TheoryData<MqttProtocolVersion, string> Packets() => MqttPacketCodecTests.Packets();

    [Theory]
    [InlineData(new byte[] { 0x30 })]
    [InlineData(new byte[] { 0x30, 0x80 })]
    [InlineData(new byte[] { 0x30, 0x02, 0x00 })]
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF })]
    public void TryRead_IncompleteFrame_ReturnsFalseAndKeepsBuffer(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);

        MqttFrameReader.TryRead(ref buffer, out _).Should().BeFalse();
        buffer.Length.Should().Be(bytes.Length);
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void TryRead_EveryTruncationPoint_ConsumesNothing(MqttProtocolVersion version, string name)
    {
        byte[] bytes = MqttTestPackets.All(version).Single(p => p.Name == name).Bytes;
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, cut);

            MqttFrameReader.TryRead(ref buffer, out _).Should().BeFalse($"{cut} of {bytes.Length} bytes is partial");
            buffer.Length.Should().Be(cut);
        }
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void TryRead_TwoSegmentsSplitAnywhere_ReadsTheSamePacket(MqttProtocolVersion version, string name)
    {
        byte[] bytes = MqttTestPackets.All(version).Single(p => p.Name == name).Bytes;
        byte[] trailer = [0xC0, 0x00];
        byte[] stream = [.. bytes, .. trailer];
        for (int split = 1; split < stream.Length; split++)
        {
            ReadOnlySequence<byte> buffer = TestSegment.Create(stream.AsMemory(0, split), stream.AsMemory(split));

            MqttFrameReader.TryRead(ref buffer, out MqttFrame frame).Should().BeTrue();
            frame.Length.Should().Be(bytes.Length);
            object packet = MqttPacketDecoder.Decode(frame, version);
            MqttTestPackets.Encode(w => MqttPacketCodecTests.Reencode(w, packet, version)).Should().Equal(bytes);
            buffer.ToArray().Should().Equal(trailer);
        }
    }

    [Fact]
    public void TryRead_TwoPacketsBackToBack_ReadsBothInOrder()
    {
        byte[] stream = [0xC0, 0x00, 0xD0, 0x00];
        var buffer = new ReadOnlySequence<byte>(stream);

        MqttFrameReader.TryRead(ref buffer, out MqttFrame first).Should().BeTrue();
        MqttFrameReader.TryRead(ref buffer, out MqttFrame second).Should().BeTrue();

        first.Type.Should().Be(MqttPacketType.PingReq);
        second.Type.Should().Be(MqttPacketType.PingResp);
        buffer.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void TryRead_NonMinimalRemainingLength_IsAccepted()
    {
        // Remaining length 0 written in two bytes (0x80 0x00): legal to decode (§1.5.5 does not require minimal encoding on receipt).
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0xC0, 0x80, 0x00 });

        MqttFrameReader.TryRead(ref buffer, out MqttFrame frame).Should().BeTrue();

        frame.Body.Length.Should().Be(0);
        frame.Length.Should().Be(3);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x00, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x36, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x63, 0x02, 0x00, 0x01 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x60, 0x02, 0x00, 0x01 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x80, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0xA0, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0xC1, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0x11, 0x00 }, MqttReasonCode.MalformedPacket)]
    [InlineData(new byte[] { 0xE8, 0x00 }, MqttReasonCode.MalformedPacket)]
    public void TryRead_BadFixedHeader_Throws(byte[] bytes, MqttReasonCode expected)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);

        Action read = () => MqttFrameReader.TryRead(ref buffer, out _);

        read.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(expected);
    }

    [Fact]
    public void TryRead_OverMaximumPacketSize_ThrowsPacketTooLargeFromTheHeaderAlone()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x30, 0x80, 0x08 });

        Action read = () => MqttFrameReader.TryRead(ref buffer, 1024, out _);

        read.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(MqttReasonCode.PacketTooLarge);
    }

    [Fact]
    public void TryRead_AtMaximumPacketSize_Succeeds()
    {
        byte[] bytes = new byte[10];
        bytes[0] = 0x30;
        bytes[1] = 8;
        var buffer = new ReadOnlySequence<byte>(bytes);

        MqttFrameReader.TryRead(ref buffer, 10, out MqttFrame frame).Should().BeTrue();

        frame.Length.Should().Be(10);
    }
}
