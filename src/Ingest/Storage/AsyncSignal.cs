namespace Resilience.Ingest.Storage;

/// <summary>
/// A level-less wake-up: <see cref="WaitAsync"/> completes at the next <see cref="Pulse"/>. Callers re-check
/// their condition after waking (and take the task before checking, so no pulse is missed).
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The task the next pulse completes.</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            return _next.Task;
        }
    }

    /// <summary>Wakes every waiter.</summary>
    public void Pulse()
    {
        TaskCompletionSource current;
        lock (_gate)
        {
            current = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        current.TrySetResult();
    }
}
