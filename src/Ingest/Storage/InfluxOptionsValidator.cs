using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Storage;

/// <summary>Data-annotation checks of <see cref="InfluxOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
}
