namespace Resilience.Silo.Grains;

/// <summary>
/// One activation: the grain instance plus its mailbox. The mailbox is an intrusive linked list guarded by a
/// short lock (never held across an await); when work arrives and no turn is running, the activation schedules
/// itself on the thread pool and runs queued turns one at a time. An idle activation is ~100 bytes plus its grain.
/// </summary>
internal sealed partial class ActivationData : IThreadPoolWorkItem
{
    private const int TurnBudget = 64;

    private readonly GrainTypeDirectory _directory;
    private Grain? _grain;
    private WorkItem? _head;
    private WorkItem? _tail;
    private int _count;
    private ActivationState _state;
    private bool _scheduled;
    private bool _dirty;
    private long _lastActivity;
    private long _dirtySince;
    private TaskCompletionSource? _space;
    private TaskCompletionSource? _deactivated;
    private object? _timers;

    public ActivationData(GrainTypeDirectory directory, string key)
    {
        _directory = directory;
        Key = key;
        _lastActivity = directory.Runtime.Time.GetTimestamp();
    }

    /// <summary>The grain's key.</summary>
    public string Key { get; }

    /// <summary>The runtime this activation belongs to.</summary>
    public GrainRuntime Runtime => _directory.Runtime;

    /// <summary>Current lifecycle state.</summary>
    public ActivationState State
    {
        get
        {
            lock (this)
            {
                return _state;
            }
        }
    }

    /// <summary>Offers an item to the mailbox; <paramref name="force"/> ignores the capacity (runtime items only).</summary>
    public EnqueueResult TryEnqueue(WorkItem item, bool force = false)
    {
        bool schedule = false;
        lock (this)
        {
            if (_state >= ActivationState.Deactivating)
            {
                return EnqueueResult.Deactivating;
            }

            if (!force && _count >= _directory.Runtime.MailboxCapacity)
            {
                return EnqueueResult.Full;
            }

            if (_tail is null)
            {
                _head = item;
            }
            else
            {
                _tail.Next = item;
            }

            _tail = item;
            _count++;
            if (!item.IsSystem)
            {
                long now = _directory.Runtime.Time.GetTimestamp();
                _lastActivity = now;
                if (!_dirty)
                {
                    _dirty = true;
                    _dirtySince = now;
                }
            }

            if (!_scheduled)
            {
                _scheduled = true;
                schedule = true;
            }
        }

        _directory.Runtime.Metrics.QueueDepthChanged(1);
        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return EnqueueResult.Enqueued;
    }

    /// <summary>Completes when the mailbox may have room again.</summary>
    public Task WaitForSpaceAsync()
    {
        lock (this)
        {
            if (_count < _directory.Runtime.MailboxCapacity || _state >= ActivationState.Deactivating)
            {
                return Task.CompletedTask;
            }

            _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _space.Task;
        }
    }

    /// <summary>Completes when this activation has left the directory.</summary>
    public Task WaitDeactivatedAsync()
    {
        lock (this)
        {
            if (_state == ActivationState.Deactivated)
            {
                return Task.CompletedTask;
            }

            _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _deactivated.Task;
        }
    }

    /// <summary>Called by the sweep: queues a deactivation when idle, or a checkpoint when dirty for long enough.</summary>
    public void Sweep(long now, long idleTicks, long checkpointTicks)
    {
        bool deactivate = false;
        bool checkpoint = false;
        lock (this)
        {
            if (_state != ActivationState.Active || _count > 0)
            {
                return;
            }

            if (now - _lastActivity >= idleTicks)
            {
                deactivate = true;
            }
            else if (_dirty && now - _dirtySince >= checkpointTicks)
            {
                _dirty = false;
                checkpoint = true;
            }
        }

        if (deactivate)
        {
            TryEnqueue(new DeactivateWorkItem(DeactivationReason.Idle), force: true);
        }
        else if (checkpoint)
        {
            TryEnqueue(new ActionWorkItem(s_checkpoint, this, null), force: true);
        }
    }

    private static readonly Func<Grain, object?, Task> s_checkpoint = static (grain, state) =>
        ((ActivationData)state!).CheckpointAsync(grain);

    private async Task CheckpointAsync(Grain grain)
    {
        try
        {
            await grain.OnCheckpointAsync(Runtime.Stopping);
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(Runtime.Logger, _directory.Name, Key, ex);
        }
    }

    /// <summary>Registers a timer so it is disposed at deactivation.</summary>
    public void AddTimer(GrainTimer timer)
    {
        lock (this)
        {
            if (_timers is null)
            {
                _timers = timer;
            }
            else if (_timers is List<GrainTimer> list)
            {
                list.Add(timer);
            }
            else
            {
                _timers = new List<GrainTimer> { (GrainTimer)_timers, timer };
            }
        }
    }

    /// <summary>Forgets a disposed timer.</summary>
    public void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            if (ReferenceEquals(_timers, timer))
            {
                _timers = null;
            }
            else if (_timers is List<GrainTimer> list)
            {
                list.Remove(timer);
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    private async Task RunAsync()
    {
        if (_grain is null && !await ActivateAsync())
        {
            return;
        }

        Grain grain = _grain!;
        int budget = TurnBudget;
        while (true)
        {
            WorkItem? item;
            TaskCompletionSource? space = null;
            lock (this)
            {
                item = _head;
                if (item is null)
                {
                    _scheduled = false;
                    return;
                }

                _head = item.Next;
                if (_head is null)
                {
                    _tail = null;
                }

                item.Next = null;
                _count--;
                if (_space is not null)
                {
                    space = _space;
                    _space = null;
                }
            }

            Runtime.Metrics.QueueDepthChanged(-1);
            space?.TrySetResult();
            long started = Runtime.Time.GetTimestamp();
            await item.ExecuteAsync(grain);
            Runtime.Metrics.TurnCompleted(Runtime.Time.GetElapsedTime(started));

            if (--budget == 0)
            {
                // Fairness: give other activations the worker after a long run of turns.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    private async Task<bool> ActivateAsync()
    {
        Grain grain;
        try
        {
            grain = _directory.CreateGrain();
            grain.Activation = this;
            await grain.OnActivateAsync(Runtime.Stopping);
        }
        catch (Exception ex)
        {
            Log.ActivationFailed(Runtime.Logger, _directory.Name, Key, ex);
            WorkItem? items;
            lock (this)
            {
                _state = ActivationState.Deactivated;
                items = _head;
                _head = null;
                _tail = null;
                Runtime.Metrics.QueueDepthChanged(-_count);
                _count = 0;
                _scheduled = false;
            }

            _directory.Remove(this);
            var failure = new InvalidOperationException($"Activation of {_directory.Name}/{Key} failed: {ex.Message}", ex);
            for (WorkItem? it = items; it is not null; it = it.Next)
            {
                it.Fail(failure);
            }

            CompleteDeactivation();
            return false;
        }

        lock (this)
        {
            _grain = grain;
            _state = ActivationState.Active;
        }

        Runtime.Metrics.Activated();
        return true;
    }

    /// <summary>Runs inside a turn: deactivates unless new calls arrived (idle) or defers behind them (shutdown, request).</summary>
    public async ValueTask DeactivateFromTurnAsync(DeactivationReason reason)
    {
        lock (this)
        {
            if (_state != ActivationState.Active)
            {
                return;
            }

            if (_count > 0)
            {
                if (reason == DeactivationReason.Idle)
                {
                    return;
                }

                // Drain what is queued first: append the request again behind it.
                if (_tail is null)
                {
                    _head = new DeactivateWorkItem(reason);
                    _tail = _head;
                }
                else
                {
                    _tail.Next = new DeactivateWorkItem(reason);
                    _tail = _tail.Next;
                }

                _count++;
                Runtime.Metrics.QueueDepthChanged(1);
                return;
            }

            _state = ActivationState.Deactivating;
        }

        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.DeactivationFailed(Runtime.Logger, _directory.Name, Key, ex);
        }

        lock (this)
        {
            _state = ActivationState.Deactivated;
        }

        _directory.Remove(this);
        Runtime.Metrics.Deactivated();
        CompleteDeactivation();
    }

    private void CompleteDeactivation()
    {
        TaskCompletionSource? done;
        TaskCompletionSource? space;
        lock (this)
        {
            done = _deactivated;
            space = _space;
            _space = null;
        }

        done?.TrySetResult();
        space?.TrySetResult();
    }

    private void DisposeTimers()
    {
        object? timers;
        lock (this)
        {
            timers = _timers;
            _timers = null;
        }

        if (timers is GrainTimer one)
        {
            one.DisposeCore();
        }
        else if (timers is List<GrainTimer> list)
        {
            foreach (GrainTimer t in list)
            {
                t.DisposeCore();
            }
        }
    }
}
