namespace Resilience.Ingest.Storage;

/// <summary>
/// Tracks which sealed batches are durable (completed out of order by concurrent senders) and wakes
/// <see cref="IPointWriter.FlushAsync"/> callers once every batch up to their sequence number is.
/// </summary>
internal sealed class FlushTracker
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _ahead = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private long _completedThrough;

    /// <summary>Every batch with a sequence number up to this one is durable.</summary>
    public long CompletedThrough
    {
        get
        {
            lock (_gate)
            {
                return _completedThrough;
            }
        }
    }

    /// <summary>Marks batch <paramref name="sequence"/> durable.</summary>
    public void Complete(long sequence)
    {
        List<TaskCompletionSource>? wake = null;
        lock (_gate)
        {
            if (sequence == _completedThrough + 1)
            {
                _completedThrough = sequence;
                while (_ahead.Count > 0 && _ahead.Min == _completedThrough + 1)
                {
                    _completedThrough++;
                    _ahead.Remove(_completedThrough);
                }

                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Sequence <= _completedThrough)
                    {
                        (wake ??= []).Add(_waiters[i].Done);
                        _waiters.RemoveAt(i);
                    }
                }
            }
            else if (sequence > _completedThrough)
            {
                _ahead.Add(sequence);
            }
        }

        if (wake is not null)
        {
            foreach (TaskCompletionSource done in wake)
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>Completes when every batch up to <paramref name="sequence"/> is durable.</summary>
    public Task WaitAsync(long sequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (sequence <= _completedThrough)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }
}
