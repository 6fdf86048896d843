using Microsoft.Extensions.Options;

namespace Resilience.Silo.Hosting;

/// <summary>Validates <see cref="SiloOptions"/> at start (data annotations, source-generated).</summary>
[OptionsValidator]
internal sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
}
