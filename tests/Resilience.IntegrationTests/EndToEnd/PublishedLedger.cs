using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Registry;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>
/// What the test published, distinct readings only: how many points each sensor must have in each InfluxDB
/// measurement, and each sensor's last values (what the API must report).
/// </summary>
internal sealed class PublishedLedger
{
    // One field per measurement is enough to count its points (docs/architecture.md, InfluxDB schema).
    private static readonly (string Measurement, string Field, Quantity Quantity)[] s_counted =
    [
        ("water", "level", Quantity.WaterLevel),
        ("rain", "amount", Quantity.Rainfall),
        ("air", "pm25", Quantity.Pm25),
        ("weather", "temperature", Quantity.Temperature),
        ("device", "battery", Quantity.Battery),
    ];

    private readonly Dictionary<string, Dictionary<string, long>> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Ts, QuantityValue[] Values)> _last = new(StringComparer.Ordinal);

    /// <summary>Distinct readings recorded.</summary>
    public long Readings { get; private set; }

    /// <summary>Last values per sensor id.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset Ts, QuantityValue[] Values)> Last => _last;

    /// <summary>Records one distinct reading.</summary>
    public void Add(SimSensor sensor, DateTimeOffset ts, QuantityValue[] values)
    {
        Readings++;
        foreach ((string measurement, _, Quantity quantity) in s_counted)
        {
            foreach (QuantityValue v in values)
            {
                if (v.Quantity == quantity)
                {
                    if (!_counts.TryGetValue(measurement, out Dictionary<string, long>? perSensor))
                    {
                        perSensor = new Dictionary<string, long>(StringComparer.Ordinal);
                        _counts[measurement] = perSensor;
                    }

                    perSensor[sensor.Id] = perSensor.GetValueOrDefault(sensor.Id) + 1;
                }
            }
        }

        if (!_last.TryGetValue(sensor.Id, out (DateTimeOffset Ts, QuantityValue[] Values) last) || ts >= last.Ts)
        {
            _last[sensor.Id] = (ts, values);
        }
    }

    /// <summary>The differences between the expected and stored point counts; empty when InfluxDB has exactly what was published.</summary>
    public async Task<List<string>> CompareWithInfluxAsync(InfluxdProcess influx, string database)
    {
        var differences = new List<string>();
        foreach ((string measurement, string field, _) in s_counted)
        {
            Dictionary<string, long> expected = _counts.GetValueOrDefault(measurement) ?? new Dictionary<string, long>(StringComparer.Ordinal);
            Dictionary<string, long> actual = await InfluxSeries.CountBySensorAsync(influx, database, measurement, field);
            foreach ((string sensor, long count) in expected)
            {
                long got = actual.GetValueOrDefault(sensor);
                if (got != count)
                {
                    differences.Add($"{measurement}/{sensor}: expected {count}, stored {got}");
                }
            }

            foreach ((string sensor, long count) in actual)
            {
                if (!expected.ContainsKey(sensor))
                {
                    differences.Add($"{measurement}/{sensor}: expected none, stored {count}");
                }
            }
        }

        return differences;
    }
}
