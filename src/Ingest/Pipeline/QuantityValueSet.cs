using System.Runtime.CompilerServices;

namespace Resilience.Ingest.Pipeline;

/// <summary>Inline storage for at most one value per quantity, so a reading needs no array.</summary>
[InlineArray(QuantityNames.Count)]
internal struct QuantityValueSet
{
    private QuantityValue _element0;
}
