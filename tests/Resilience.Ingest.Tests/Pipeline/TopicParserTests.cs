using System.Text;
using Resilience.Ingest.Pipeline;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class TopicParserTests
{
    private readonly TopicParser _parser = new(["danang", "hanoi", "haiphong", "hochiminh", "bacninh"]);

    [Theory]
    [InlineData("sensors/danang/dn-camle-wl/telemetry", "danang", "dn-camle-wl", TopicKind.Telemetry)]
    [InlineData("sensors/hanoi/hn-aq-01/status", "hanoi", "hn-aq-01", TopicKind.Status)]
    [InlineData("sensors/bacninh/a/telemetry", "bacninh", "a", TopicKind.Telemetry)]
    public void TryParse_ValidTopic_ReturnsParts(string topic, string province, string sensorId, TopicKind kind)
    {
        _parser.TryParse(Encoding.UTF8.GetBytes(topic), out DeviceTopic parsed).Should().Be(DeadLetterReason.None);

        parsed.Should().Be(new DeviceTopic(kind, province, sensorId));
    }

    [Theory]
    [InlineData("sensors/danang/dn-1/alerts", DeadLetterReason.BadTopic)]
    [InlineData("sensor/danang/dn-1/telemetry", DeadLetterReason.BadTopic)]
    [InlineData("sensors/danang/dn-1", DeadLetterReason.BadTopic)]
    [InlineData("sensors//dn-1/telemetry", DeadLetterReason.BadTopic)]
    [InlineData("sensors/danang/dn-1/telemetry/extra", DeadLetterReason.BadTopic)]
    [InlineData("sensors/quangnam/qn-1/telemetry", DeadLetterReason.UnknownProvince)]
    [InlineData("sensors/DaNang/dn-1/telemetry", DeadLetterReason.UnknownProvince)]
    [InlineData("sensors/danang//telemetry", DeadLetterReason.BadSensorId)]
    [InlineData("sensors/danang/DN-1/telemetry", DeadLetterReason.BadSensorId)]
    [InlineData("sensors/danang/dn_1/telemetry", DeadLetterReason.BadSensorId)]
    [InlineData("sensors/danang/đn-1/telemetry", DeadLetterReason.BadSensorId)]
    public void TryParse_InvalidTopic_ReturnsReason(string topic, DeadLetterReason expected)
    {
        _parser.TryParse(Encoding.UTF8.GetBytes(topic), out _).Should().Be(expected);
    }

    [Fact]
    public void TryParse_SensorIdOf64And65Bytes_AcceptsOnlyTheShorter()
    {
        string ok = new('a', 64);
        string tooLong = new('a', 65);

        _parser.TryParse(Encoding.UTF8.GetBytes($"sensors/hanoi/{ok}/telemetry"), out _).Should().Be(DeadLetterReason.None);
        _parser.TryParse(Encoding.UTF8.GetBytes($"sensors/hanoi/{tooLong}/telemetry"), out _).Should().Be(DeadLetterReason.BadSensorId);
    }

    [Fact]
    public void TryParse_SameSensorTwice_ReturnsTheInternedString()
    {
        byte[] topic = "sensors/danang/dn-camle-wl/telemetry"u8.ToArray();
        _parser.TryParse(topic, out DeviceTopic first);
        _parser.TryParse(topic, out DeviceTopic second);

        ReferenceEquals(first.SensorId, second.SensorId).Should().BeTrue();
    }

    [Fact]
    public void TryParse_CacheFull_StillReturnsNewIdsWithoutCaching()
    {
        var parser = new TopicParser(["hanoi"], sensorIdCacheCapacity: 1);
        parser.TryParse("sensors/hanoi/a/telemetry"u8, out _);
        parser.TryParse("sensors/hanoi/b/telemetry"u8, out DeviceTopic b);

        b.SensorId.Should().Be("b");
        parser.SensorIds.Count.Should().Be(1);
    }

    [Fact]
    public void TryParse_ConfiguredProvinces_OnlyThoseAccepted()
    {
        var parser = new TopicParser(["hue"]);

        parser.TryParse("sensors/hue/h-1/status"u8, out _).Should().Be(DeadLetterReason.None);
        parser.TryParse("sensors/hanoi/h-1/status"u8, out _).Should().Be(DeadLetterReason.UnknownProvince);
    }
}
