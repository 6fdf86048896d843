using System.Buffers;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttPacketDecoderTests
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttReasonCode Malformed = MqttReasonCode.MalformedPacket;
    private const MqttReasonCode Protocol = MqttReasonCode.ProtocolError;

    [Theory]
    // CONNECT: reserved flag, will QoS without will, will QoS 3, password without user name (3.1.1), trailing byte
    [InlineData(0x10, "0004 4D515454 04 03 003C 0001 63", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 0A 003C 0001 63", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 1C 003C 0001 63", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 42 003C 0001 63 0001 70", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0001 63 00", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 06 02 003C 0001 63", V3, MqttReasonCode.UnsupportedProtocolVersion)]
    [InlineData(0x10, "0006 4D5149736470 04 02 003C 0001 63", V3, MqttReasonCode.UnsupportedProtocolVersion)]
    [InlineData(0x10, "0004 4D515458 04 02 003C 0001 63", V3, Protocol)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0005 6301", V3, Malformed)]
    // CONNECT: bad UTF-8 client ids (surrogate, overlong, U+0000, 0xFF, cut multi-byte sequence)
    [InlineData(0x10, "0004 4D515454 04 02 003C 0003 EDA080", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0002 C080", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0002 6100", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0001 FF", V3, Malformed)]
    [InlineData(0x10, "0004 4D515454 04 02 003C 0002 E282", V3, Malformed)]
    // CONNECT: will topic with a wildcard; v5 CONNECT with a property only CONNACK may carry; duplicate session expiry
    [InlineData(0x10, "0004 4D515454 04 06 003C 0001 63 0003 612F23 0000", V3, MqttReasonCode.TopicNameInvalid)]
    [InlineData(0x10, "0004 4D515454 05 02 003C 02 2401 0001 63", V5, Malformed)]
    [InlineData(0x10, "0004 4D515454 05 02 003C 0A 1100000001 1100000002 0001 63", V5, Protocol)]
    [InlineData(0x10, "0004 4D515454 05 02 003C 03 210000 0001 63", V5, Protocol)]
    // CONNACK: reserved flags, 3.1.1 return code out of range
    [InlineData(0x20, "02 00", V3, Malformed)]
    [InlineData(0x20, "00 06", V3, Malformed)]
    // PUBLISH: wildcard topic, missing packet id, packet id 0, empty topic (3.1.1), bad UTF-8 topic
    [InlineData(0x30, "0003 612F2B 78", V3, MqttReasonCode.TopicNameInvalid)]
    [InlineData(0x32, "0001 61", V3, Malformed)]
    [InlineData(0x32, "0001 61 0000 78", V3, Protocol)]
    [InlineData(0x30, "0000 78", V3, MqttReasonCode.TopicNameInvalid)]
    [InlineData(0x30, "0002 EDBF", V3, Malformed)]
    [InlineData(0x38, "0001 61 78", V3, Malformed)]
    // PUBLISH v5: duplicate property, property not allowed, unknown id, length past the end, alias 0, bad indicator, 5-byte length, empty topic without alias
    [InlineData(0x30, "0001 61 0A 0200000001 0200000002", V5, Protocol)]
    [InlineData(0x30, "0001 61 05 1100000001", V5, Malformed)]
    [InlineData(0x30, "0001 61 02 7F00", V5, Malformed)]
    [InlineData(0x30, "0001 61 09 0200000001", V5, Malformed)]
    [InlineData(0x30, "0001 61 03 230000", V5, Protocol)]
    [InlineData(0x30, "0001 61 02 0102", V5, Protocol)]
    [InlineData(0x30, "0001 61 FFFFFFFF01", V5, Malformed)]
    [InlineData(0x30, "0000 00 78", V5, MqttReasonCode.TopicNameInvalid)]
    [InlineData(0x30, "0001 61 05 2600016B00", V5, Malformed)]
    // PUBACK family: packet id 0, 3.1.1 extra byte, v5 property not allowed
    [InlineData(0x40, "0000", V3, Protocol)]
    [InlineData(0x40, "0001 00", V3, Malformed)]
    [InlineData(0x50, "0001 10 03 230001", V5, Malformed)]
    [InlineData(0x40, "00", V3, Malformed)]
    // SUBSCRIBE: no filter, QoS 3, reserved option bits (3.1.1 and 5.0), retain handling 3, packet id 0, sub id 0, two sub ids
    [InlineData(0x82, "0001", V3, Protocol)]
    [InlineData(0x82, "0001 0001 61 03", V3, Malformed)]
    [InlineData(0x82, "0001 0001 61 04", V3, Malformed)]
    [InlineData(0x82, "0001 00 0001 61 40", V5, Malformed)]
    [InlineData(0x82, "0001 00 0001 61 30", V5, Protocol)]
    [InlineData(0x82, "0000 0001 61 00", V3, Protocol)]
    [InlineData(0x82, "0001 02 0B00 0001 61 00", V5, Protocol)]
    [InlineData(0x82, "0001 04 0B01 0B02 0001 61 00", V5, Protocol)]
    [InlineData(0x82, "0001 0001 61", V3, Malformed)]
    // SUBACK 3.1.1 code 3; UNSUBSCRIBE without filter; PINGREQ with a body; AUTH in 3.1.1; DISCONNECT 3.1.1 with a body
    [InlineData(0x90, "0001 03", V3, Malformed)]
    [InlineData(0xA2, "0001", V3, Protocol)]
    [InlineData(0xC0, "00", V3, Malformed)]
    [InlineData(0xF0, "", V3, Malformed)]
    [InlineData(0xE0, "00", V3, Malformed)]
    [InlineData(0xE0, "00 02 1200", V5, Malformed)]
    public void Decode_InvalidPacket_ThrowsTypedExceptionWithReason(int firstByte, string hexBody, MqttProtocolVersion version, MqttReasonCode expected)
    {
        byte[] body = Convert.FromHexString(hexBody.Replace(" ", string.Empty, StringComparison.Ordinal));
        byte[] packet = [(byte)firstByte, .. VarInt(body.Length), .. body];

        Action decode = () =>
        {
            var buffer = new ReadOnlySequence<byte>(packet);
            MqttFrameReader.TryRead(ref buffer, out MqttFrame frame).Should().BeTrue();
            MqttPacketDecoder.Decode(frame, version);
        };

        decode.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("F09F8C8A", true)]
    [InlineData("E1BB87", true)]
    [InlineData("7F", true)]
    [InlineData("EDA080", false)]
    [InlineData("EDBFBF", false)]
    [InlineData("C0AF", false)]
    [InlineData("E080AF", false)]
    [InlineData("F4908080", false)]
    [InlineData("00", false)]
    [InlineData("80", false)]
    public void IsValid_Utf8Rules_MatchTheSpec(string hex, bool expected)
    {
        MqttUtf8.IsValid(Convert.FromHexString(hex)).Should().Be(expected);
    }

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("a/+/c/#", true)]
    [InlineData("/", true)]
    [InlineData("+/+", true)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("a+/b", false)]
    [InlineData("a/b+", false)]
    [InlineData("", false)]
    public void IsValidFilter_WildcardPlacement_MatchesTheSpec(string filter, bool expected)
    {
        MqttTopic.IsValidFilter(filter).Should().Be(expected);
    }

    private static byte[] VarInt(int value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
        return [.. bytes];
    }
}
