namespace Resilience.Silo.Alerting;

/// <summary>Registers rule evaluation inside the grains.</summary>
internal static class SiloAlertingExtensions
{
    /// <summary>Adds <see cref="GrainAlerting"/>, which the grains take in their constructors.</summary>
    public static IServiceCollection AddSiloAlerting(this IServiceCollection services)
    {
        services.AddSingleton<GrainAlerting>();
        return services;
    }
}
