using Microsoft.Extensions.Options;
using Resilience.Alerts.Evaluation;

namespace Resilience.Silo.Hosting;

/// <summary>Validates <see cref="FloodLevelOptions"/> (<c>Resilience:Flood</c>) at start (data annotations, source-generated).</summary>
[OptionsValidator]
internal sealed partial class FloodLevelOptionsValidator : IValidateOptions<FloodLevelOptions>
{
}
