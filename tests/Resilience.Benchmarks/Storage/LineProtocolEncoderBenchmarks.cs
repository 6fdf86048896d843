using BenchmarkDotNet.Attributes;
using Resilience.Ingest.Storage;

namespace Resilience.Benchmarks.Storage;

/// <summary>
/// Lines encoded per second for the common shape: 3 tags, 1 float field (target ≥ 5 M/s, 0 B). Values have
/// three decimals, as readings parsed from devices' JSON do.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolEncoderBenchmarks
{
    private const int Lines = 1000;

    private readonly byte[] _buffer = new byte[256 * Lines];
    private readonly PointData[] _points = new PointData[Lines];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Lines; i++)
        {
            var tags = new KeyValuePair<string, string>[]
            {
                new("zone", "danang-camle"),
                new("province", "danang"),
                new("sensor", "dn-wl-" + (i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            _points[i] = new PointData("water", tags, new[] { FieldValue.Float("level", Math.Round(1.0 + (i * 0.013), 3)) }, 1_795_305_600_000_000_000 + (i * 1_000_000_000L));
        }
    }

    /// <summary>Encodes 1,000 lines back to back into one buffer (as into a batch).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int Encode3Tags1Field()
    {
        Span<byte> free = _buffer;
        int total = 0;
        for (int i = 0; i < _points.Length; i++)
        {
            int n = LineProtocolEncoder.Encode(in _points[i], free, WritePrecision.Nanoseconds, unsignedAsInteger: true);
            free = free[n..];
            total += n;
        }

        return total;
    }
}
