namespace Resilience.Silo.Grains;

/// <summary>Maps a grain interface to the class implementing it (registered in DI by <c>AddGrain</c>).</summary>
internal sealed class GrainTypeRegistration(Type interfaceType, Func<IServiceProvider, Grain> factory)
{
    /// <summary>The grain interface callers ask for.</summary>
    public Type InterfaceType { get; } = interfaceType;

    /// <summary>Creates one grain instance per activation.</summary>
    public Func<IServiceProvider, Grain> Factory { get; } = factory;
}
