namespace Resilience.Ingest.Pipeline;

/// <summary>One decoded value: a quantity and its number in the quantity's canonical unit.</summary>
public readonly record struct QuantityValue(Quantity Quantity, double Value);
