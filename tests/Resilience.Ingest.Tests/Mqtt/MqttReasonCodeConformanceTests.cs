using System.Buffers;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

/// <summary>
/// MQTT 5.0: every packet that carries a reason code may carry only the codes of its own table. The lists below
/// are transcribed from the specification's tables, independently of <see cref="MqttReasonCodeRules"/>.
/// </summary>
public sealed class MqttReasonCodeConformanceTests
{
    public static TheoryData<string, string> Tables => new()
    {
        // [MQTT-3.2.2-8] §3.2.2.2 Connect Reason Code
        { "CONNACK", "00 80 81 82 83 84 85 86 87 88 89 8A 8C 90 95 97 99 9A 9B 9C 9D 9F" },
        // [MQTT-3.4.2-1] §3.4.2.1 PUBACK Reason Code
        { "PUBACK", "00 10 80 83 87 90 91 97 99" },
        // [MQTT-3.5.2-1] §3.5.2.1 PUBREC Reason Code
        { "PUBREC", "00 10 80 83 87 90 91 97 99" },
        // [MQTT-3.6.2-1] §3.6.2.1 PUBREL Reason Code
        { "PUBREL", "00 92" },
        // [MQTT-3.7.2-1] §3.7.2.1 PUBCOMP Reason Code
        { "PUBCOMP", "00 92" },
        // [MQTT-3.9.3-2] §3.9.3 SUBACK Payload
        { "SUBACK", "00 01 02 80 83 87 8F 91 97 9E A1 A2" },
        // [MQTT-3.11.3-2] §3.11.3 UNSUBACK Payload
        { "UNSUBACK", "00 11 80 83 87 8F 91" },
        // [MQTT-3.14.2-1] §3.14.2.1 Disconnect Reason Code
        { "DISCONNECT", "00 04 80 81 82 83 87 89 8B 8D 8E 8F 90 93 94 95 96 97 98 99 9A 9B 9C 9D 9E 9F A0 A1 A2" },
        // [MQTT-3.15.2-1] §3.15.2.1 Authenticate Reason Code
        { "AUTH", "00 18 19" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Decode_EveryReasonCode_AcceptsExactlyTheSpecTable(string packet, string validHex)
    {
        HashSet<byte> valid = [.. Convert.FromHexString(validHex.Replace(" ", string.Empty, StringComparison.Ordinal))];
        var accepted = new List<byte>();
        for (int code = 0; code < 256; code++)
        {
            byte[] bytes = Packet(packet, (byte)code);
            try
            {
                Decode(bytes);
                accepted.Add((byte)code);
            }
            catch (MqttProtocolException ex)
            {
                valid.Should().NotContain((byte)code, $"{packet} 0x{code:X2} is in the spec's table");
                ex.ReasonCode.Should().Be(MqttReasonCode.ProtocolError);
            }
        }

        accepted.Should().BeEquivalentTo(valid, $"{packet} accepts exactly its table");
    }

    [Theory]
    // The deviations the conformance run found, one by one.
    [InlineData("PUBACK", 0x11)]
    [InlineData("PUBREL", 0x10)]
    [InlineData("PUBREL", 0x11)]
    [InlineData("PUBCOMP", 0x10)]
    [InlineData("SUBACK", 0x79)]
    [InlineData("DISCONNECT", 0x05)]
    [InlineData("AUTH", 0x17)]
    [InlineData("CONNACK", 0x01)]
    [InlineData("UNSUBACK", 0x10)]
    public void Decode_ReasonCodeOfAnotherPacketType_IsAProtocolError(string packet, int code)
    {
        Action decode = () => Decode(Packet(packet, (byte)code));

        decode.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(MqttReasonCode.ProtocolError);
    }

    [Theory]
    [InlineData("PUBACK", 0x11)]
    [InlineData("PUBREL", 0x10)]
    [InlineData("PUBCOMP", 0x87)]
    public void Encode_AckWithAReasonCodeOfAnotherType_IsRefusedBeforeWriting(string packet, int code)
    {
        MqttPacketType type = Enum.Parse<MqttPacketType>(packet, ignoreCase: true);
        var writer = new ArrayBufferWriter<byte>();

        Action encode = () => MqttPacketEncoder.WriteAck(writer, new MqttAckPacket(type, 1, (MqttReasonCode)code), MqttProtocolVersion.V500);

        encode.Should().Throw<ArgumentException>();
        writer.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void Encode_DisconnectAndAuthWithForeignCodes_AreRefused()
    {
        var writer = new ArrayBufferWriter<byte>();

        FluentActions.Invoking(() => MqttPacketEncoder.WriteDisconnect(writer, new MqttDisconnectPacket { ReasonCode = (MqttReasonCode)0x05 }, MqttProtocolVersion.V500)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => MqttPacketEncoder.WriteAuth(writer, new MqttAuthPacket { ReasonCode = (MqttReasonCode)0x17 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => MqttPacketEncoder.WriteSubAck(writer, new MqttSubAckPacket { PacketId = 1, ReasonCodes = [0x79] }, MqttProtocolVersion.V500)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => MqttPacketEncoder.WriteSubAck(writer, new MqttSubAckPacket { PacketId = 1, ReasonCodes = [0x87] }, MqttProtocolVersion.V311)).Should().Throw<ArgumentException>();
        writer.WrittenCount.Should().Be(0);
    }

    private static byte[] Packet(string packet, byte code) => packet switch
    {
        "CONNACK" => [0x20, 0x03, 0x00, code, 0x00],
        "PUBACK" => [0x40, 0x03, 0x00, 0x01, code],
        "PUBREC" => [0x50, 0x03, 0x00, 0x01, code],
        "PUBREL" => [0x62, 0x03, 0x00, 0x01, code],
        "PUBCOMP" => [0x70, 0x03, 0x00, 0x01, code],
        "SUBACK" => [0x90, 0x04, 0x00, 0x01, 0x00, code],
        "UNSUBACK" => [0xB0, 0x04, 0x00, 0x01, 0x00, code],
        "DISCONNECT" => [0xE0, 0x01, code],
        "AUTH" => [0xF0, 0x01, code],
        _ => throw new ArgumentOutOfRangeException(nameof(packet)),
    };

    private static void Decode(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        MqttFrameReader.TryRead(ref buffer, out MqttFrame frame).Should().BeTrue();
        MqttPacketDecoder.Decode(frame, MqttProtocolVersion.V500);
    }
}
