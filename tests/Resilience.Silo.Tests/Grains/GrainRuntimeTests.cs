using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Silo.Grains;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Grains;

public sealed class GrainRuntimeTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetGrain_FirstCall_ActivatesOnceAndReadsState()
    {
        var storage = new MemoryGrainStorage();
        await storage.WriteAsync("counter", "c1", JsonSerializer.SerializeToUtf8Bytes(new CounterState { Total = 40 }), Ct);
        await using TestSilo silo = TestSilo.Create(extra: AddTestGrains, storage: storage);

        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("c1");
        grain.IsActive.Should().BeFalse("getting a reference does not activate");

        (await grain.InvokeAsync(2, static (g, n) => g.AddAsync(n), Ct)).Should().Be(42);
        (await grain.InvokeAsync(0, static (g, n) => g.AddAsync(n), Ct)).Should().Be(42);

        grain.IsActive.Should().BeTrue();
        silo.Runtime.Metrics.ActivationsTotal.Should().Be(1);
    }

    [Fact]
    public async Task InvokeAsync_ConcurrentCallers_RunOneTurnAtATime()
    {
        await using TestSilo silo = TestSilo.Create(extra: AddTestGrains);
        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("busy");

        Task<int>[] calls = Enumerable.Range(0, 64)
            .Select(_ => Task.Run(() => grain.InvokeAsync(1, static (g, n) => g.AddAsync(n), Ct).AsTask()))
            .ToArray();
        int[] results = await Task.WhenAll(calls).WaitAsync(s_deadline, TestContext.Current.CancellationToken);

        results.Should().OnlyHaveUniqueItems("each turn saw the previous turn's total");
        results.Max().Should().Be(64);
        (await grain.InvokeAsync(0, static (g, _) => g.MaxConcurrencyAsync(), Ct)).Should().Be(1);
    }

    [Fact]
    public async Task Sweep_IdleLongerThanAge_DeactivatesWritesStateAndReactivatesWithIt()
    {
        await using TestSilo silo = TestSilo.Create(o => o.IdleDeactivationAge = TimeSpan.FromMinutes(10), AddTestGrains);
        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("idle");
        await grain.InvokeAsync(5, static (g, n) => g.AddAsync(n), Ct);

        silo.Time.Advance(TimeSpan.FromMinutes(9));
        silo.Runtime.Sweep();
        grain.IsActive.Should().BeTrue("not idle long enough");

        silo.Time.Advance(TimeSpan.FromMinutes(2));
        await PollAsync(() =>
        {
            silo.Runtime.Sweep(); // a sweep skips an activation with queued work (the 9-minute checkpoint)
            return !grain.IsActive;
        });

        silo.Runtime.Metrics.DeactivationsTotal.Should().Be(1);
        byte[]? stored = await silo.Storage.ReadAsync("counter", "idle", Ct);
        JsonSerializer.Deserialize<CounterState>(stored!)!.Total.Should().Be(5);
        (await grain.InvokeAsync(1, static (g, n) => g.AddAsync(n), Ct)).Should().Be(6, "the new activation read the written state");
        silo.Runtime.Metrics.ActivationsTotal.Should().Be(2);
    }

    [Fact]
    public async Task Sweep_BusyLongerThanCheckpoint_WritesStateWithoutDeactivating()
    {
        await using TestSilo silo = TestSilo.Create(o => o.CheckpointInterval = TimeSpan.FromMinutes(1), AddTestGrains);
        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("cp");
        await grain.InvokeAsync(3, static (g, n) => g.AddAsync(n), Ct);

        silo.Time.Advance(TimeSpan.FromMinutes(2));
        silo.Runtime.Sweep();

        await PollAsync(() => silo.Storage.Count == 1);
        grain.IsActive.Should().BeTrue();
    }

    [Fact]
    public async Task InvokeAsync_MailboxFull_CallerWaitsUntilSpace()
    {
        await using TestSilo silo = TestSilo.Create(o => o.MailboxCapacity = 2, AddTestGrains);
        GrainReference<IGateGrain> grain = silo.Grain<IGateGrain>("gate");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask first = grain.InvokeAsync(gate.Task, static (g, t) => g.WaitAsync(t), Ct);
        await PollAsync(() => silo.Runtime.Metrics.QueueDepth == 0); // first turn is running, blocked on the gate
        ValueTask second = grain.InvokeAsync(Task.CompletedTask, static (g, t) => g.WaitAsync(t), Ct);
        ValueTask third = grain.InvokeAsync(Task.CompletedTask, static (g, t) => g.WaitAsync(t), Ct);
        Task fourth = grain.InvokeAsync(Task.CompletedTask, static (g, t) => g.WaitAsync(t), Ct).AsTask();

        await Task.Delay(50, TestContext.Current.CancellationToken);
        silo.Runtime.Metrics.QueueDepth.Should().Be(2, "the mailbox holds its capacity and no more");
        fourth.IsCompleted.Should().BeFalse();

        gate.SetResult();
        await first;
        await second;
        await third;
        await fourth.WaitAsync(s_deadline, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RegisterTimer_Ticks_RunAsTurnsUntilDeactivation()
    {
        await using TestSilo silo = TestSilo.Create(extra: AddTestGrains);
        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("timer");
        await grain.InvokeAsync(TimeSpan.FromSeconds(10), static (g, p) => g.StartTimerAsync(p), Ct);

        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await PollAsync(() => grain.InvokeAsync(0, static (g, n) => g.AddAsync(n), Ct).AsTask().Result == 1);
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await PollAsync(() => grain.InvokeAsync(0, static (g, n) => g.AddAsync(n), Ct).AsTask().Result == 2);
    }

    [Fact]
    public async Task InvokeAsync_ActivationThrows_CallFailsAndNextCallRetries()
    {
        await using TestSilo silo = TestSilo.Create(extra: AddTestGrains);
        GrainReference<ICounterGrain> grain = silo.Grain<ICounterGrain>("fail-once");

        Func<Task> call = async () => await grain.InvokeAsync(1, static (g, n) => g.AddAsync(n), Ct);

        await call.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Activation*fail-once*");
        (await grain.InvokeAsync(1, static (g, n) => g.AddAsync(n), Ct)).Should().Be(1);
    }

    [Fact]
    public async Task StopAsync_WithQueuedCalls_DrainsThenDeactivatesAll()
    {
        TestSilo silo = TestSilo.Create(extra: AddTestGrains);
        var calls = new List<Task<int>>();
        for (int i = 0; i < 100; i++)
        {
            calls.Add(silo.Grain<ICounterGrain>("k" + (i % 10)).InvokeAsync(1, static (g, n) => g.AddAsync(n), Ct).AsTask());
        }

        await silo.Runtime.StopAsync(TestContext.Current.CancellationToken);

        silo.Runtime.ActivationCount.Should().Be(0);
        silo.Storage.Count.Should().Be(10);
        for (int k = 0; k < 10; k++)
        {
            byte[]? stored = await silo.Storage.ReadAsync("counter", "k" + k, Ct);
            JsonSerializer.Deserialize<CounterState>(stored!)!.Total.Should().Be(10, "every queued call ran before the state was written");
        }

        (await Task.WhenAll(calls).WaitAsync(s_deadline, Ct)).Should().HaveCount(100);
        await silo.DisposeAsync();
    }

    private static void AddTestGrains(IServiceCollection services)
    {
        services.AddGrain<ICounterGrain, CounterGrain>();
        services.AddGrain<IGateGrain, GateGrain>();
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(s_deadline);
        while (!condition())
        {
            await Task.Delay(5, cts.Token);
        }
    }

    internal interface ICounterGrain : IGrainWithStringKey
    {
        ValueTask<int> AddAsync(int n);

        ValueTask<int> MaxConcurrencyAsync();

        ValueTask StartTimerAsync(TimeSpan period);
    }

    internal interface IGateGrain : IGrainWithStringKey
    {
        ValueTask WaitAsync(Task gate);
    }

    internal sealed class CounterState
    {
        public int Total { get; set; }
    }

    internal sealed class CounterGrain(IGrainStorage storage) : Grain, ICounterGrain
    {
        private static int s_failures;
        private PersistentState<CounterState> _state = null!;
        private int _inTurn;
        private int _maxConcurrency;

        public override async Task OnActivateAsync(CancellationToken cancellationToken)
        {
            if (GetPrimaryKeyString() == "fail-once" && Interlocked.Increment(ref s_failures) == 1)
            {
                throw new InvalidOperationException("boom");
            }

            _state = new PersistentState<CounterState>(storage, "counter", GetPrimaryKeyString(), (JsonTypeInfo<CounterState>)JsonSerializerOptions.Default.GetTypeInfo(typeof(CounterState)));
            await _state.ReadStateAsync(cancellationToken);
        }

        public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.WriteStateAsync(cancellationToken);

        public override Task OnCheckpointAsync(CancellationToken cancellationToken) => _state.WriteStateAsync(cancellationToken);

        public async ValueTask<int> AddAsync(int n)
        {
            int now = Interlocked.Increment(ref _inTurn);
            _maxConcurrency = Math.Max(_maxConcurrency, now);
            await Task.Yield();
            int total = _state.State.Total + n;
            await Task.Yield();
            _state.State.Total = total;
            Interlocked.Decrement(ref _inTurn);
            return total;
        }

        public ValueTask<int> MaxConcurrencyAsync() => ValueTask.FromResult(_maxConcurrency);

        public ValueTask StartTimerAsync(TimeSpan period)
        {
            RegisterTimer(_ => AddAsync(1).AsTask(), null, period, period);
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class GateGrain : Grain, IGateGrain
    {
        public async ValueTask WaitAsync(Task gate) => await gate;
    }
}
