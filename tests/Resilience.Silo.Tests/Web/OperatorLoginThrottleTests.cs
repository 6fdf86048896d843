using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Resilience.Silo.Web;
using Resilience.TestKit;

namespace Resilience.Silo.Tests.Web;

public sealed class OperatorLoginThrottleTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));

    private OperatorLoginThrottle Create(Action<WebPagesOptions>? configure = null)
    {
        var options = new WebPagesOptions();
        configure?.Invoke(options);
        return new OperatorLoginThrottle(Options.Create(options), _time);
    }

    [Fact]
    public void DelayAfter_FreeThenDoublingUpToTheCap()
    {
        TimeSpan max = TimeSpan.FromSeconds(900);
        int[] failures = [0, 4, 5, 6, 7, 14, 15, 100, int.MaxValue];

        double[] delays = [.. failures.Select(f => OperatorLoginThrottle.DelayAfter(f, 5, max).TotalSeconds)];

        delays.Should().Equal(0, 0, 1, 2, 4, 512, 900, 900, 900);
    }

    [Fact]
    public void Attacker_IsHeldBackEverLonger_ButTheNameNeverLongerThanItsCap()
    {
        OperatorLoginThrottle throttle = Create();
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 40; i++)
        {
            // A patient attacker: waits out each delay, then guesses again.
            _time.Advance(throttle.RetryAfter("trucban", "203.0.113.9"));
            throttle.RecordFailure("trucban", "203.0.113.9");
            waits.Add(throttle.RetryAfter("trucban", "203.0.113.9"));
        }

        waits[^1].Should().Be(TimeSpan.FromSeconds(900), "the attacker's own address reaches the 15-min cap");
        waits.Should().BeInAscendingOrder();
        throttle.RetryAfter("trucban", "198.51.100.7").Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(30), "anyone else waits at most the name's short cap");
    }

    [Fact]
    public void TrustedAddress_IsNotHeldBackByTheNamesDelay()
    {
        OperatorLoginThrottle throttle = Create();
        throttle.RecordSuccess("trucban", "198.51.100.7");
        for (int i = 0; i < 20; i++)
        {
            throttle.RecordFailure("trucban", "203.0.113." + i.ToString(CultureInfo.InvariantCulture));
        }

        throttle.RetryAfter("trucban", "198.51.100.7").Should().Be(TimeSpan.Zero);
        throttle.RetryAfter("trucban", "198.51.100.8").Should().BeGreaterThan(TimeSpan.Zero);
        throttle.RetryAfter("TRUCBAN", "198.51.100.7").Should().Be(TimeSpan.Zero, "names compare case-insensitively");
    }

    [Fact]
    public void QuietPeriod_ForgetsTheCount()
    {
        OperatorLoginThrottle throttle = Create();
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(throttle.RetryAfter("x", "a"));
            throttle.RecordFailure("x", "a");
        }

        _time.Advance(TimeSpan.FromMinutes(61));
        throttle.RecordFailure("x", "a");

        throttle.RetryAfter("x", "a").Should().Be(TimeSpan.Zero, "one failure after an hour of quiet is a free one again");
    }

    [Fact]
    public void AFloodOfAddressesAndNames_StaysBounded()
    {
        OperatorLoginThrottle throttle = Create(o => o.MaxTrackedEntries = 100);

        for (int i = 0; i < 5000; i++)
        {
            throttle.RecordFailure("name" + i.ToString(CultureInfo.InvariantCulture), "10.0." + (i / 256).ToString(CultureInfo.InvariantCulture) + "." + (i % 256).ToString(CultureInfo.InvariantCulture));
        }

        throttle.TrackedAddresses.Should().BeLessThanOrEqualTo(100);
        throttle.TrackedUsers.Should().BeLessThanOrEqualTo(100);
    }

    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    public void AddressKey_GroupsIPv6ByItsSlash64(string address, string key)
    {
        OperatorLoginThrottle.AddressKey(IPAddress.Parse(address)).Should().Be(key);
    }
}
