using Microsoft.Extensions.Options;

namespace Resilience.Ingest.Pipeline;

/// <summary>Validates <see cref="IngestPipelineOptions"/>' annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class IngestPipelineOptionsValidator : IValidateOptions<IngestPipelineOptions>
{
}
