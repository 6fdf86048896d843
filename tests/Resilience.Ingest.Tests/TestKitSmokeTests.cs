using Resilience.TestKit;

namespace Resilience.Ingest.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Advance_PastPeriodicTimer_FiresOncePerPeriod()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using ITimer timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(3.5));

        fired.Should().Be(3);
    }
}
