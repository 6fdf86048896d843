namespace Resilience.Silo.Grains;

/// <summary>
/// Base class of every grain (Orleans' <c>Grain</c>): a virtual actor activated on first call, taking one turn
/// at a time, deactivated when idle. Grains are constructed by the runtime through DI for each activation.
/// </summary>
internal abstract class Grain
{
    /// <summary>The activation hosting this instance (set by the runtime before <see cref="OnActivateAsync"/>).</summary>
    internal ActivationData Activation { get; set; } = null!;

    /// <summary>The grain factory, for calling other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>The grain's string key (Orleans' <c>this.GetPrimaryKeyString()</c>).</summary>
    protected string GetPrimaryKeyString() => Activation.Key;

    /// <summary>Runs before the first call; read persistent state here.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the last turn of the activation; write state here.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs as a turn when the activation has had calls for longer than the checkpoint interval without being
    /// written (not in Orleans: the silo-wide sweep replaces a write timer per grain). Default: nothing.
    /// </summary>
    public virtual Task OnCheckpointAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Registers a timer whose ticks run as turns of this activation (never concurrently with calls). A tick
    /// is skipped while the previous one is still queued or running. Timers do not keep the grain active.
    /// </summary>
    protected IDisposable RegisterTimer(Func<object?, Task> callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(Activation, callback, state, dueTime, period);
        Activation.AddTimer(timer);
        return timer;
    }

    /// <summary>Deactivates this activation after the calls already queued.</summary>
    protected void DeactivateOnIdle() =>
        Activation.TryEnqueue(new DeactivateWorkItem(DeactivationReason.Requested), force: true);
}
