using System.Collections.Concurrent;
using Resilience.Ingest.Storage;

namespace Resilience.Silo.Tests.Support;

/// <summary>An in-memory <see cref="IPointWriter"/> that keeps a copy of every point.</summary>
internal sealed class RecordingPointWriter : IPointWriter
{
    private readonly ConcurrentQueue<RecordedPoint> _points = new();

    public IReadOnlyList<RecordedPoint> Points => _points.ToArray();

    public IReadOnlyList<RecordedPoint> Of(string measurement) => _points.Where(p => p.Measurement == measurement).ToArray();

    public bool TryWrite(in PointData point)
    {
        var tags = new Dictionary<string, string>();
        foreach (KeyValuePair<string, string> t in point.Tags.Span)
        {
            tags[t.Key] = t.Value;
        }

        var fields = new Dictionary<string, object>();
        foreach (FieldValue f in point.Fields.Span)
        {
            fields[f.Key] = f.Kind switch
            {
                FieldKind.Float => f.FloatValue,
                FieldKind.String => f.StringValue!,
                _ => f.IntegerBits,
            };
        }

        _points.Enqueue(new RecordedPoint(point.Measurement, tags, fields, point.TimestampNs));
        return true;
    }

    public ValueTask WaitToWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>How many points had been written at each <see cref="FlushAsync"/>, in order.</summary>
    public ConcurrentQueue<int> Flushes { get; } = new();

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushes.Enqueue(_points.Count);
        return ValueTask.CompletedTask;
    }
}
