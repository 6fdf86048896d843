using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Storage;

/// <summary>Registers the InfluxDB writer.</summary>
public static class InfluxHostingExtensions
{
    /// <summary>
    /// Binds and validates <see cref="InfluxOptions"/> (<c>Resilience:Influx</c>), registers the writer as the singleton
    /// <see cref="IPointWriter"/> and <see cref="IInfluxWriterMetrics"/>, and the hosted service that runs and stops it.
    /// </summary>
    public static IHostApplicationBuilder AddInfluxWriter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<InfluxOptions>()
            .BindConfiguration(InfluxOptions.SectionName)
            .Configure<IConfiguration>(static (options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.DataDirectory))
                {
                    options.DataDirectory = configuration["Resilience:DataDirectory"] is { Length: > 0 } data ? data : "data";
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InfluxOptions>, InfluxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InfluxOptions>, InfluxOptionsCrossValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InfluxPointWriter>();
        services.TryAddSingleton<IPointWriter>(static sp => sp.GetRequiredService<InfluxPointWriter>());
        services.TryAddSingleton<IInfluxWriterMetrics>(static sp => sp.GetRequiredService<InfluxPointWriter>());
        services.AddHostedService<InfluxWriterService>();
        return builder;
    }
}
