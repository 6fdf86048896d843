using Microsoft.Extensions.Options;

namespace Resilience.Alerts.Api;

/// <summary>Source-generated data-annotation validation of <see cref="AlertsOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
}
