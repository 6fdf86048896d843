using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Data annotations of <see cref="ExternalMqttOptions"/> (generated) plus the filter and group rules.</summary>
[OptionsValidator]
internal sealed partial class ExternalMqttOptionsValidator : IValidateOptions<ExternalMqttOptions>
{
}
