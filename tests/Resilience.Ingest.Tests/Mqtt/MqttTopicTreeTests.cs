using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttTopicTreeTests
{
    [Theory]
    [InlineData("sensors/danang/s1/telemetry", "sensors/danang/s1/telemetry", true)]
    [InlineData("sensors/+/s1/#", "sensors/danang/s1/telemetry", true)]
    [InlineData("sensors/+/s1/#", "sensors/danang/s1", true)]
    [InlineData("sensors/+/s1/#", "sensors/danang/s2/telemetry", false)]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("+/+", "/b", true)]
    [InlineData("a/+", "a/", true)]
    [InlineData("a/b", "a/b/c", false)]
    public void Match_FilterAgainstTopic_FollowsTheSpec(string filter, string topic, bool expected)
    {
        var tree = new MqttTopicTree();
        var handler = new NullHandler();
        tree.Add(new MqttSubscriber(filter, null, handler, MqttQualityOfService.AtLeastOnce));
        var matches = new List<MqttMatch>();

        tree.Match(Encoding.UTF8.GetBytes(topic), matches);

        (matches.Count == 1).Should().Be(expected);
        MqttTopicMatcher.Matches(filter, topic).Should().Be(expected);
    }

    [Fact]
    public void Match_OverlappingSubscriptionsOfOneSession_DeliversOnceAtTheHighestQos()
    {
        var tree = new MqttTopicTree();
        var session = new MqttSession("c", 10);
        tree.Add(new MqttSubscriber("a/#", session, null, MqttQualityOfService.AtMostOnce));
        tree.Add(new MqttSubscriber("a/+", session, null, MqttQualityOfService.ExactlyOnce));
        var matches = new List<MqttMatch>();

        tree.Match("a/b"u8, matches);

        matches.Should().ContainSingle().Which.Qos.Should().Be(MqttQualityOfService.ExactlyOnce);
    }

    [Fact]
    public void Match_SharedGroup_RoundRobinsAcrossMembers()
    {
        var tree = new MqttTopicTree();
        var a = new NullHandler();
        var b = new NullHandler();
        tree.Add(new MqttSubscriber("$share/g/t/#", null, a, MqttQualityOfService.AtMostOnce));
        tree.Add(new MqttSubscriber("$share/g/t/#", null, b, MqttQualityOfService.AtMostOnce));
        var picks = new List<IMqttMessageHandler?>();
        var matches = new List<MqttMatch>();

        for (int i = 0; i < 4; i++)
        {
            tree.Match("t/x"u8, matches);
            picks.Add(matches.Single().Subscriber.Handler);
            matches.Clear();
        }

        picks.Should().Equal(a, b, a, b);
    }

    [Fact]
    public void Remove_Subscription_StopsMatching()
    {
        var tree = new MqttTopicTree();
        var handler = new NullHandler();
        tree.Add(new MqttSubscriber("a/+", null, handler, MqttQualityOfService.AtMostOnce));
        var matches = new List<MqttMatch>();

        tree.Remove("a/+", null, handler).Should().BeTrue();
        tree.Match("a/b"u8, matches);

        matches.Should().BeEmpty();
        tree.Remove("a/+", null, handler).Should().BeFalse();
    }

    private sealed class NullHandler : IMqttMessageHandler
    {
        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
