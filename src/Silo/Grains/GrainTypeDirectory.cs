using System.Collections.Concurrent;

namespace Resilience.Silo.Grains;

/// <summary>The activations of one grain interface, by key, and the factory that creates its grains.</summary>
internal sealed class GrainTypeDirectory
{
    private readonly ConcurrentDictionary<string, ActivationData> _activations = new(StringComparer.Ordinal);
    private readonly Func<IServiceProvider, Grain> _factory;
    private readonly Func<string, ActivationData> _create;

    public GrainTypeDirectory(GrainRuntime runtime, string name, Func<IServiceProvider, Grain> factory)
    {
        Runtime = runtime;
        Name = name;
        _factory = factory;
        _create = key => new ActivationData(this, key);
    }

    /// <summary>The owning runtime.</summary>
    public GrainRuntime Runtime { get; }

    /// <summary>Grain type name (for logs).</summary>
    public string Name { get; }

    /// <summary>Number of activations.</summary>
    public int Count => _activations.Count;

    /// <summary>The activations (a moving snapshot).</summary>
    public IEnumerable<ActivationData> Activations => _activations.Values;

    /// <summary>The existing activation for <paramref name="key"/>, or a new one.</summary>
    public ActivationData GetOrAdd(string key)
    {
        if (Runtime.IsStopped)
        {
            ThrowStopped();
        }

        return _activations.GetOrAdd(key, _create);
    }

    /// <summary>True when <paramref name="key"/> is active now.</summary>
    public bool IsActive(string key) => _activations.ContainsKey(key);

    /// <summary>Creates the grain instance for a new activation.</summary>
    public Grain CreateGrain() => _factory(Runtime.Services);

    /// <summary>Removes an activation that finished deactivating.</summary>
    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<string, ActivationData>(activation.Key, activation));

    /// <summary>The slow path of a call: waits for mailbox space or for a deactivation to finish, then retries.</summary>
    public async ValueTask EnqueueSlowAsync(string key, WorkItem item, CancellationToken cancellationToken)
    {
        while (true)
        {
            ActivationData activation = GetOrAdd(key);
            switch (activation.TryEnqueue(item))
            {
                case EnqueueResult.Enqueued:
                    return;
                case EnqueueResult.Full:
                    Runtime.Metrics.Backpressured();
                    await activation.WaitForSpaceAsync().WaitAsync(cancellationToken);
                    break;
                default:
                    await activation.WaitDeactivatedAsync().WaitAsync(cancellationToken);
                    break;
            }
        }
    }

    private static void ThrowStopped() => throw new InvalidOperationException("The grain runtime has stopped.");
}
