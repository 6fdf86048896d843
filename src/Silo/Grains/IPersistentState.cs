namespace Resilience.Silo.Grains;

/// <summary>A grain's persistent state, as Orleans' <c>IPersistentState&lt;T&gt;</c>.</summary>
internal interface IPersistentState<TState>
    where TState : class
{
    /// <summary>The state object; read at activation, written by <see cref="WriteStateAsync"/>.</summary>
    TState State { get; set; }

    /// <summary>True when a record was read or written.</summary>
    bool RecordExists { get; }

    /// <summary>Reads the state from storage (a fresh object when there is none).</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state; completes when durable.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the record and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
