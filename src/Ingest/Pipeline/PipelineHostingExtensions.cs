using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt;

namespace Resilience.Ingest.Pipeline;

/// <summary>Registers payload decoding, the dead-letter writer and the pipeline's meter.</summary>
public static class PipelineHostingExtensions
{
    /// <summary>The provinces accepted when <see cref="IngestPipelineOptions.Provinces"/> is not configured.</summary>
    public static readonly IReadOnlyList<string> DefaultProvinces = ["danang", "hanoi", "haiphong", "hochiminh", "bacninh"];

    /// <summary>
    /// Adds <see cref="IngestPipelineOptions"/>, the decoder, the dead-letter queue and writer, and the pipeline as
    /// <see cref="IMqttMessageHandler"/> (TryAdd: another registration wins). Register an <see cref="ITelemetrySink"/>
    /// to receive the readings; without one they are counted and discarded.
    /// </summary>
    public static IHostApplicationBuilder AddIngestPipeline(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<IngestPipelineOptions>()
            .BindConfiguration(IngestPipelineOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (options.Provinces.Count == 0)
                {
                    options.Provinces.AddRange(DefaultProvinces);
                }

                if (string.IsNullOrWhiteSpace(options.DeadLetterDirectory))
                {
                    string dataDirectory = configuration["Resilience:DataDirectory"] is { Length: > 0 } configured ? configured : "./data";
                    options.DeadLetterDirectory = Path.Combine(dataDirectory, "deadletter");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestPipelineOptions>, IngestPipelineOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.TryAddSingleton<IngestPipelineMetrics>();
        services.TryAddSingleton(sp =>
        {
            IngestPipelineOptions o = sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value;
            return new TopicParser(o.Provinces, o.SensorIdCacheCapacity);
        });
        services.TryAddSingleton(sp =>
        {
            IngestPipelineOptions o = sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value;
            return new TelemetryDecoder(sp.GetRequiredService<TimeProvider>(), o.MaxPayloadBytes, o.MaxFutureSkew);
        });
        services.TryAddSingleton(sp => new DeadLetterQueue(
            sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value.DeadLetterQueueCapacity,
            sp.GetRequiredService<IngestPipelineMetrics>()));
        services.TryAddSingleton(sp => new DeadLetterWriter(
            sp.GetRequiredService<DeadLetterQueue>(),
            sp.GetRequiredService<IngestPipelineMetrics>(),
            sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value.DeadLetterDirectory!,
            sp.GetRequiredService<ILogger<DeadLetterWriter>>(),
            sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value.DeadLetterMaxBytes));
        services.AddHostedService(sp => sp.GetRequiredService<DeadLetterWriter>());
        services.TryAddSingleton<ITelemetrySink, NullTelemetrySink>();
        services.TryAddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<TopicParser>(),
            sp.GetRequiredService<TelemetryDecoder>(),
            sp.GetRequiredService<DeadLetterQueue>(),
            sp.GetRequiredService<IngestPipelineMetrics>(),
            sp.GetRequiredService<ITelemetrySink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IngestPipeline>>(),
            sp.GetRequiredService<IOptions<IngestPipelineOptions>>().Value.MaxReadingsPerMessage));
        services.TryAddSingleton<IMqttMessageHandler>(sp => sp.GetRequiredService<IngestPipeline>());
        return builder;
    }
}
