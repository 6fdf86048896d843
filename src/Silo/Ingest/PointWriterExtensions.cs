using Resilience.Ingest.Storage;

namespace Resilience.Silo.Ingest;

/// <summary>Helpers to write grain output through <see cref="IPointWriter"/> with its backpressure.</summary>
internal static class PointWriterExtensions
{
    [ThreadStatic]
    private static KeyValuePair<string, string>[]? t_tags;

    [ThreadStatic]
    private static FieldValue[]? t_fields;

    /// <summary>Thread-local scratch arrays for one point (the writer encodes synchronously, so they are reused).</summary>
    public static (KeyValuePair<string, string>[] Tags, FieldValue[] Fields) Scratch() =>
        (t_tags ??= new KeyValuePair<string, string>[4], t_fields ??= new FieldValue[8]);

    /// <summary>
    /// Writes one point, waiting while the writer is full (backpressure). The fast path is synchronous; when the
    /// writer is full the tag and field arrays are copied first, since scratch arrays belong to this thread.
    /// Invalid points throw <see cref="ArgumentException"/>.
    /// </summary>
    public static ValueTask WriteAsync(this IPointWriter writer, in PointData point, CancellationToken cancellationToken)
    {
        if (writer.TryWrite(point))
        {
            return ValueTask.CompletedTask;
        }

        var copy = new PointData(point.Measurement, point.Tags.ToArray(), point.Fields.ToArray(), point.TimestampNs);
        return WaitAndWriteAsync(writer, copy, cancellationToken);

        static async ValueTask WaitAndWriteAsync(IPointWriter writer, PointData point, CancellationToken ct)
        {
            do
            {
                await writer.WaitToWriteAsync(ct);
            }
            while (!writer.TryWrite(point));
        }
    }
}
