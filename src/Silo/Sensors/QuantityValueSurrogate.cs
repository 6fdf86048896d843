using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>
/// How a <see cref="QuantityValue"/> (src/Ingest, which carries no Orleans dependency) crosses a grain call or
/// goes into grain state: the quantity's byte and the value.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("resilience.qv")]
internal readonly record struct QuantityValueSurrogate([property: Id(0)] byte Quantity, [property: Id(1)] double Value);

/// <summary>Registers <see cref="QuantityValueSurrogate"/> as the serialized form of <see cref="QuantityValue"/>.</summary>
[RegisterConverter]
internal sealed class QuantityValueConverter : IConverter<QuantityValue, QuantityValueSurrogate>
{
    public QuantityValue ConvertFromSurrogate(in QuantityValueSurrogate surrogate) => new((Quantity)surrogate.Quantity, surrogate.Value);

    public QuantityValueSurrogate ConvertToSurrogate(in QuantityValue value) => new((byte)value.Quantity, value.Value);
}
