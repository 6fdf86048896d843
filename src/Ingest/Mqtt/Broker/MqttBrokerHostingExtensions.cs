using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Registers the embedded broker.</summary>
public static class MqttBrokerHostingExtensions
{
    /// <summary>
    /// Binds <see cref="MqttBrokerOptions"/> from <c>Resilience:Mqtt:Broker</c> (validated at start), registers the
    /// <c>MqttBroker</c> singleton (in-process subscribe/publish, metrics) and a hosted service that runs it when enabled.
    /// </summary>
    public static IHostApplicationBuilder AddMqttBroker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MqttBrokerOptions>()
            .BindConfiguration(MqttBrokerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttBrokerOptions>, MqttBrokerOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<MqttBroker>();
        builder.Services.AddHostedService<MqttBrokerHostedService>();
        return builder;
    }
}
