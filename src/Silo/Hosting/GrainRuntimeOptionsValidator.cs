using Microsoft.Extensions.Options;
using Resilience.Silo.Grains;

namespace Resilience.Silo.Hosting;

/// <summary>Validates <see cref="GrainRuntimeOptions"/> at start (data annotations, source-generated).</summary>
[OptionsValidator]
internal sealed partial class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
}
