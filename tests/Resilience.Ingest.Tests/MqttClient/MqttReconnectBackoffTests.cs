using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class MqttReconnectBackoffTests
{
    private static readonly TimeSpan s_initial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(5, 16000)]
    [InlineData(6, 30000)]
    [InlineData(40, 30000)]
    [InlineData(1000, 30000)]
    public void Step_DoublesUpToTheMaximum(int attempt, int expectedMs)
    {
        var backoff = new MqttReconnectBackoff(s_initial, s_max, new Random(1));

        backoff.Step(attempt).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void NextDelay_StaysWithinHalfStepAndStep()
    {
        var backoff = new MqttReconnectBackoff(s_initial, s_max, new Random(7));
        for (int attempt = 0; attempt < 12; attempt++)
        {
            for (int i = 0; i < 50; i++)
            {
                TimeSpan step = backoff.Step(attempt);
                backoff.NextDelay(attempt).Should().BeGreaterThanOrEqualTo(step / 2).And.BeLessThanOrEqualTo(step);
            }
        }
    }

    [Fact]
    public void NextDelay_SameSeed_SameSchedule_DifferentSeeds_Spread()
    {
        var a = new MqttReconnectBackoff(s_initial, s_max, new Random(42));
        var b = new MqttReconnectBackoff(s_initial, s_max, new Random(42));
        var c = new MqttReconnectBackoff(s_initial, s_max, new Random(43));

        TimeSpan[] first = Enumerable.Range(0, 8).Select(a.NextDelay).ToArray();
        TimeSpan[] same = Enumerable.Range(0, 8).Select(b.NextDelay).ToArray();
        TimeSpan[] other = Enumerable.Range(0, 8).Select(c.NextDelay).ToArray();

        same.Should().Equal(first);
        other.Should().NotEqual(first, "jitter keeps clients of one broker restart out of lockstep");
    }

    [Fact]
    public void Constructor_MaximumBelowInitial_Throws()
    {
        Action act = () => _ = new MqttReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
