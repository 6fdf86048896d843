using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Registers the MQTTnet-based consumer of, and publisher to, an external broker.</summary>
public static class MqttClientHostingExtensions
{
    /// <summary>
    /// Binds <c>Resilience:Mqtt:External</c> (validated at start) and adds <see cref="ExternalBrokerConsumer"/>,
    /// which hands every message to the registered <see cref="Resilience.Ingest.Mqtt.IMqttMessageHandler"/>
    /// singleton, and <see cref="ExternalMqttPublisher"/> (a singleton, for the silo's alert topics). Call it only
    /// when <c>Resilience:Mqtt:External:Host</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddExternalMqttConsumer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ExternalMqttOptions>().BindConfiguration(ExternalMqttOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExternalMqttOptions>, ExternalMqttOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExternalMqttOptions>, ExternalMqttOptionsFilterValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExternalBrokerConsumer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerConsumer>());
        builder.Services.AddSingleton<ExternalMqttPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExternalMqttPublisher>());
        return builder;
    }
}
