using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class MqttPacketIdAllocatorTests
{
    [Fact]
    public void TryAllocate_Fresh_StartsAtOneAndCountsUp()
    {
        var ids = new MqttPacketIdAllocator();

        ids.TryAllocate(out ushort a).Should().BeTrue();
        ids.TryAllocate(out ushort b).Should().BeTrue();

        a.Should().Be(1);
        b.Should().Be(2);
        ids.InUse.Should().Be(2);
    }

    [Fact]
    public void TryAllocate_AfterRelease_DoesNotReuseAtOnce()
    {
        var ids = new MqttPacketIdAllocator();
        ids.TryAllocate(out ushort first);
        ids.Release(first).Should().BeTrue();

        ids.TryAllocate(out ushort next);

        next.Should().NotBe(first, "ids rotate so a stale acknowledgement does not match a new exchange");
    }

    [Fact]
    public void TryAllocate_AllInUse_ReturnsFalseUntilOneIsReleased()
    {
        var ids = new MqttPacketIdAllocator();
        var seen = new HashSet<ushort>();
        for (int i = 0; i < ushort.MaxValue; i++)
        {
            ids.TryAllocate(out ushort id).Should().BeTrue();
            seen.Add(id);
        }

        seen.Should().HaveCount(ushort.MaxValue).And.NotContain(0);
        ids.TryAllocate(out _).Should().BeFalse();

        ids.Release(4242).Should().BeTrue();
        ids.TryAllocate(out ushort again).Should().BeTrue();
        again.Should().Be(4242);
    }

    [Fact]
    public void TryAllocate_WrapsAroundPast65535SkippingZeroAndInUse()
    {
        var ids = new MqttPacketIdAllocator();
        for (int i = 0; i < ushort.MaxValue; i++)
        {
            ids.TryAllocate(out _);
        }

        ids.Release(ushort.MaxValue);
        ids.Release(3);
        ids.TryAllocate(out ushort a);
        ids.TryAllocate(out ushort b);

        a.Should().Be(3, "the cursor wrapped to 1 and 1–2 are still in use");
        b.Should().Be(ushort.MaxValue);
        ids.TryAllocate(out _).Should().BeFalse();
    }

    [Fact]
    public void Release_UnknownOrZero_ReturnsFalse()
    {
        var ids = new MqttPacketIdAllocator();

        ids.Release(0).Should().BeFalse();
        ids.Release(17).Should().BeFalse();
        ids.TryReserve(17).Should().BeTrue();
        ids.TryReserve(17).Should().BeFalse();
        ids.Release(17).Should().BeTrue();
        ids.InUse.Should().Be(0);
    }
}
