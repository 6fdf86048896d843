namespace Resilience.Silo.Grains;

/// <summary>
/// A typed handle to a grain (the role of an Orleans grain reference). Calls go through
/// <see cref="InvokeAsync{TArg, TResult}"/> with a static lambda naming the interface method, so a call costs one
/// work-item allocation and no proxy or closure; per-interface extension methods hide the lambda at call sites.
/// Awaiting the returned task also awaits mailbox space: a full mailbox slows the caller down (backpressure).
/// </summary>
internal readonly struct GrainReference<TGrain>
    where TGrain : class, IGrainWithStringKey
{
    private readonly GrainTypeDirectory _directory;

    internal GrainReference(GrainTypeDirectory directory, string key)
    {
        _directory = directory;
        Key = key;
    }

    /// <summary>The grain's key.</summary>
    public string Key { get; }

    /// <summary>True when the grain has an activation right now (no activation is created).</summary>
    public bool IsActive => _directory.IsActive(Key);

    /// <summary>Calls a grain method with one argument and a result, one turn at a time with the grain's other calls.</summary>
    public ValueTask<TResult> InvokeAsync<TArg, TResult>(TArg arg, Func<TGrain, TArg, ValueTask<TResult>> method, CancellationToken cancellationToken = default)
    {
        var item = new CallWorkItem<TGrain, TArg, TResult>(method, arg);
        if (_directory.GetOrAdd(Key).TryEnqueue(item) == EnqueueResult.Enqueued)
        {
            return item.Task;
        }

        return SlowAsync(_directory, Key, item, cancellationToken);

        static async ValueTask<TResult> SlowAsync(GrainTypeDirectory directory, string key, CallWorkItem<TGrain, TArg, TResult> item, CancellationToken ct)
        {
            await directory.EnqueueSlowAsync(key, item, ct);
            return await item.Task;
        }
    }

    /// <summary>Calls a grain method with one argument and no result.</summary>
    public ValueTask InvokeAsync<TArg>(TArg arg, Func<TGrain, TArg, ValueTask> method, CancellationToken cancellationToken = default)
    {
        var item = new VoidCallWorkItem<TGrain, TArg>(method, arg);
        if (_directory.GetOrAdd(Key).TryEnqueue(item) == EnqueueResult.Enqueued)
        {
            return item.Task;
        }

        return SlowAsync(_directory, Key, item, cancellationToken);

        static async ValueTask SlowAsync(GrainTypeDirectory directory, string key, VoidCallWorkItem<TGrain, TArg> item, CancellationToken ct)
        {
            await directory.EnqueueSlowAsync(key, item, ct);
            await item.Task;
        }
    }
}
