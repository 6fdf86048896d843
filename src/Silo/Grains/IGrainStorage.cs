namespace Resilience.Silo.Grains;

/// <summary>
/// Where grain state lives between activations (the role of Orleans' <c>IGrainStorage</c>, at the byte level:
/// serialization is done by <see cref="PersistentState{T}"/>). Writes may be batched; a completed write is durable.
/// </summary>
internal interface IGrainStorage
{
    /// <summary>The stored bytes, or null when there is no record.</summary>
    ValueTask<byte[]?> ReadAsync(string stateName, string key, CancellationToken cancellationToken);

    /// <summary>Stores (replaces) the record; completes when it is durable.</summary>
    ValueTask WriteAsync(string stateName, string key, byte[] data, CancellationToken cancellationToken);

    /// <summary>Deletes the record; completes when the deletion is durable.</summary>
    ValueTask ClearAsync(string stateName, string key, CancellationToken cancellationToken);

    /// <summary>Completes when every write accepted before the call is durable.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
