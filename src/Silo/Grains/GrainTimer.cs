namespace Resilience.Silo.Grains;

/// <summary>A per-activation timer on the runtime's <see cref="TimeProvider"/> whose ticks are queued as turns.</summary>
internal sealed class GrainTimer : IDisposable
{
    private static readonly TimerCallback s_tick = static s => ((GrainTimer)s!).Tick();
    private static readonly Func<Grain, object?, Task> s_run = static (_, s) => ((GrainTimer)s!).RunAsync();

    private readonly ActivationData _activation;
    private readonly Func<object?, Task> _callback;
    private readonly object? _state;
    private readonly ITimer _timer;
    private int _pending;
    private bool _disposed;

    public GrainTimer(ActivationData activation, Func<object?, Task> callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        _timer = activation.Runtime.Time.CreateTimer(s_tick, this, dueTime, period);
    }

    public void Dispose()
    {
        _activation.RemoveTimer(this);
        DisposeCore();
    }

    internal void DisposeCore()
    {
        Volatile.Write(ref _disposed, true);
        _timer.Dispose();
    }

    private void Tick()
    {
        if (Volatile.Read(ref _disposed) || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        var item = new ActionWorkItem(s_run, this, _activation.Runtime.TimerFailed);
        if (_activation.TryEnqueue(item) != EnqueueResult.Enqueued)
        {
            // Mailbox full or activation leaving: skip this tick.
            Volatile.Write(ref _pending, 0);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (!Volatile.Read(ref _disposed))
            {
                await _callback(_state);
            }
        }
        finally
        {
            Volatile.Write(ref _pending, 0);
        }
    }
}
