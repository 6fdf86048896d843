namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// The client's send quota for QoS 1/2 publishes (MQTT 5.0 §4.9 flow control): at most <see cref="Limit"/>
/// unacknowledged exchanges; further publishers await a free slot in arrival order. The limit is the
/// configured maximum, lowered to the broker's Receive Maximum from CONNACK.
/// </summary>
internal sealed class MqttInFlightWindow
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _limit;
    private int _inUse;

    /// <summary>Creates a window of <paramref name="limit"/> slots.</summary>
    public MqttInFlightWindow(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>Current number of slots.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>Slots taken by unacknowledged exchanges.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Publishers waiting for a slot (cancelled waiters may still be counted until they are skipped).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes a slot at once when one is free; otherwise false.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_inUse < _limit && _waiters.Count == 0)
            {
                _inUse++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes a slot, waiting in FIFO order for one to be released.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_inUse < _limit && _waiters.Count == 0)
            {
                _inUse++;
                return Task.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return waiter.Task;
        }

        return WaitWithCancellationAsync(waiter, cancellationToken);
    }

    /// <summary>Returns a slot; the longest waiter gets it.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_inUse == 0)
            {
                throw new InvalidOperationException("Released more in-flight slots than were taken.");
            }

            _inUse--;
            GrantLocked();
        }
    }

    /// <summary>Changes the number of slots (a new CONNACK); a smaller limit takes effect as slots are released.</summary>
    public void SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            _limit = limit;
            GrantLocked();
        }
    }

    private static async Task WaitWithCancellationAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetCanceled(), waiter))
        {
            await waiter.Task;
        }
    }

    private void GrantLocked()
    {
        while (_inUse < _limit && _waiters.TryDequeue(out TaskCompletionSource? next))
        {
            // A cancelled waiter's TrySetResult fails: skip it without taking a slot.
            if (next.TrySetResult())
            {
                _inUse++;
            }
        }
    }
}
