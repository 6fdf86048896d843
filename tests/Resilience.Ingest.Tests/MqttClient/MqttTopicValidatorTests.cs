using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class MqttTopicValidatorTests
{
    [Theory]
    [InlineData("sensors/danang/dn-camle-wl/telemetry")]
    [InlineData("/")]
    [InlineData("a//b")]
    [InlineData("$SYS/x")]
    [InlineData("Đà Nẵng/mưa")]
    public void IsValidTopicName_Valid_True(string topic)
        => MqttTopicValidator.IsValidTopicName(topic).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sensors/+/x")]
    [InlineData("sensors/#")]
    [InlineData("a\0b")]
    public void IsValidTopicName_Invalid_False(string? topic)
        => MqttTopicValidator.IsValidTopicName(topic).Should().BeFalse();

    [Fact]
    public void IsValidTopicName_LoneSurrogate_False()
        => MqttTopicValidator.IsValidTopicName("a" + (char)0xD800).Should().BeFalse();

    [Fact]
    public void IsValidTopicName_Over65535Utf8Bytes_False()
        => MqttTopicValidator.IsValidTopicName(new string('đ', 40000)).Should().BeFalse();

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("sensors/+/+/telemetry")]
    [InlineData("sensors/#")]
    [InlineData("+/+/#")]
    [InlineData("$share/resilience/sensors/+/+/telemetry")]
    [InlineData("$share/g/#")]
    [InlineData("$shared/x")]
    public void IsValidFilter_Valid_True(string filter)
        => MqttTopicValidator.IsValidFilter(filter).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sensors/#/x")]
    [InlineData("sensors#")]
    [InlineData("sensors/a+/x")]
    [InlineData("$share//x")]
    [InlineData("$share/g+/x")]
    [InlineData("$share/g")]
    [InlineData("$share/g/")]
    [InlineData("$share/g/a/#/b")]
    [InlineData("a\0")]
    public void IsValidFilter_Invalid_False(string? filter)
        => MqttTopicValidator.IsValidFilter(filter).Should().BeFalse();
}
