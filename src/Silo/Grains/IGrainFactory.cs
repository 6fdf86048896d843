namespace Resilience.Silo.Grains;

/// <summary>
/// Hands out references to grains (Orleans' <c>IGrainFactory</c>). A reference is cheap: getting one never
/// activates the grain; the first call does.
/// </summary>
internal interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of interface <typeparamref name="TGrain"/> with <paramref name="key"/>.</summary>
    GrainReference<TGrain> GetGrain<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey;
}
