namespace Resilience.Silo.Persistence;

/// <summary>
/// Reads every stored state of one name without activating a grain: how a silo warms its read-side caches
/// (the sensor listing) after a restart. Implemented by the grain storage.
/// </summary>
internal interface IGrainStateScan
{
    /// <summary>Every stored state named <paramref name="stateName"/>, keyed by grain id text (<c>type/key</c>).</summary>
    IAsyncEnumerable<KeyValuePair<string, T>> ScanAsync<T>(string stateName, CancellationToken cancellationToken);
}
