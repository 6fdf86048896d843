using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Resilience.Silo.Grains;

/// <summary>DI registration of the grain runtime and grain classes.</summary>
internal static class GrainServiceCollectionExtensions
{
    /// <summary>Maps <typeparamref name="TGrain"/> to <typeparamref name="TImplementation"/>, built through DI per activation.</summary>
    public static IServiceCollection AddGrain<TGrain, TImplementation>(this IServiceCollection services)
        where TGrain : class, IGrainWithStringKey
        where TImplementation : Grain, TGrain
    {
        ObjectFactory factory = ActivatorUtilities.CreateFactory(typeof(TImplementation), Type.EmptyTypes);
        services.AddSingleton(new GrainTypeRegistration(typeof(TGrain), sp => (Grain)factory(sp, null)));
        return services;
    }

    /// <summary>Adds the runtime (also as <see cref="IGrainFactory"/>).</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        return services;
    }
}
