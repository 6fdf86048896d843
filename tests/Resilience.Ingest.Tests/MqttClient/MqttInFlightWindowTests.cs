using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class MqttInFlightWindowTests
{
    [Fact]
    public async Task WaitAsync_UnderLimit_CompletesAtOnce()
    {
        var window = new MqttInFlightWindow(2);

        await window.WaitAsync(TestContext.Current.CancellationToken);
        await window.WaitAsync(TestContext.Current.CancellationToken);

        window.InUse.Should().Be(2);
        window.TryAcquire().Should().BeFalse();
    }

    [Fact]
    public async Task WaitAsync_Full_WaitsUntilReleaseInArrivalOrder()
    {
        var window = new MqttInFlightWindow(1);
        await window.WaitAsync(TestContext.Current.CancellationToken);

        Task first = window.WaitAsync(TestContext.Current.CancellationToken);
        Task second = window.WaitAsync(TestContext.Current.CancellationToken);
        first.IsCompleted.Should().BeFalse();
        window.Waiting.Should().Be(2);

        window.Release();
        await first.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        second.IsCompleted.Should().BeFalse("one slot, handed to the longest waiter");

        window.Release();
        await second.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        window.InUse.Should().Be(1);
    }

    [Fact]
    public async Task WaitAsync_CancelledWaiter_IsSkippedWithoutTakingTheSlot()
    {
        var window = new MqttInFlightWindow(1);
        await window.WaitAsync(TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource();
        Task cancelled = window.WaitAsync(cts.Token);
        Task next = window.WaitAsync(TestContext.Current.CancellationToken);

        await cts.CancelAsync();
        Func<Task> act = () => cancelled;
        await act.Should().ThrowAsync<OperationCanceledException>();

        window.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        window.InUse.Should().Be(1);
    }

    [Fact]
    public async Task SetLimit_Raised_WakesWaiters_Lowered_AppliesAsSlotsReturn()
    {
        var window = new MqttInFlightWindow(1);
        await window.WaitAsync(TestContext.Current.CancellationToken);
        Task waiter = window.WaitAsync(TestContext.Current.CancellationToken);

        window.SetLimit(3);
        await waiter.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        window.InUse.Should().Be(2);

        window.SetLimit(1);
        window.Release();
        window.TryAcquire().Should().BeFalse("still one in flight, at the lowered limit");
        window.Release();
        window.TryAcquire().Should().BeTrue();
    }

    [Fact]
    public void Release_MoreThanTaken_Throws()
    {
        var window = new MqttInFlightWindow(1);

        Action act = window.Release;

        act.Should().Throw<InvalidOperationException>();
    }
}
