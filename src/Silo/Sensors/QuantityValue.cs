namespace Resilience.Silo.Sensors;

/// <summary>One value of a reading.</summary>
internal readonly record struct QuantityValue(Quantity Quantity, double Value);
