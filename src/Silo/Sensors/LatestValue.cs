namespace Resilience.Silo.Sensors;

/// <summary>The latest in-order value of one quantity.</summary>
internal readonly record struct LatestValue(Quantity Quantity, double Value, long TsMs);
