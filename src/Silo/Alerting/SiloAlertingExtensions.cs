namespace Resilience.Silo.Alerting;

/// <summary>Registers rule evaluation inside the grains.</summary>
internal static class SiloAlertingExtensions
{
    /// <summary>Adds <see cref="GrainAlerting"/> (used by the grains) and the <see cref="StaleSweepService"/>.</summary>
    public static IServiceCollection AddSiloAlerting(this IServiceCollection services)
    {
        services.AddSingleton<GrainAlerting>();
        services.AddHostedService<StaleSweepService>();
        return services;
    }
}
