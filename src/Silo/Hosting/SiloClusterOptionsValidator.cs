using Microsoft.Extensions.Options;

namespace Resilience.Silo.Hosting;

/// <summary>Validates <see cref="SiloClusterOptions"/> at start (data annotations, source-generated).</summary>
[OptionsValidator]
internal sealed partial class SiloClusterOptionsValidator : IValidateOptions<SiloClusterOptions>
{
}
