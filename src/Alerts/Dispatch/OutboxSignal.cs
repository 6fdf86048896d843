namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Wakes the dispatch workers as soon as a change commits, so delivery does not wait for the next poll.
/// Take <see cref="WaitAsync"/> before looking for work, then await it: a ring in between is not lost.
/// </summary>
internal sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Ring"/>.</summary>
    public Task WaitAsync() => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter.</summary>
    public void Ring()
    {
        TaskCompletionSource previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
