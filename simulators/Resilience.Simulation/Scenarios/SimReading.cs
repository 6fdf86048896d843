using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Registry;

namespace Resilience.Simulation.Scenarios;

/// <summary>One simulated reading: the sensor, its simulated time, its per-device sequence number and its values.</summary>
/// <param name="Sensor">The sensor.</param>
/// <param name="SensorIndex">The sensor's index in the engine's list.</param>
/// <param name="Timestamp">Simulated time.</param>
/// <param name="Seq">Per-device sequence number, from 1.</param>
/// <param name="Values">The values, in the quantities' canonical units.</param>
public sealed record SimReading(SimSensor Sensor, int SensorIndex, DateTimeOffset Timestamp, long Seq, QuantityValue[] Values)
{
    /// <summary>The value of <paramref name="quantity"/>, or NaN when the reading lacks it.</summary>
    public double Get(Quantity quantity)
    {
        foreach (QuantityValue v in Values)
        {
            if (v.Quantity == quantity)
            {
                return v.Value;
            }
        }

        return double.NaN;
    }
}
