using Microsoft.Extensions.Options;

namespace Resilience.Silo.Hosting;

/// <summary>Validates <see cref="GrainOptions"/> at start (data annotations, source-generated).</summary>
[OptionsValidator]
internal sealed partial class GrainOptionsValidator : IValidateOptions<GrainOptions>
{
}
