namespace Resilience.Ingest.Storage;

/// <summary>
/// One InfluxDB point. Tag and field arrays may be reused by the caller after <see cref="IPointWriter.TryWrite"/>
/// returns (the point is encoded synchronously), which keeps the hot path free of per-point allocations.
/// </summary>
public readonly struct PointData
{
    /// <summary>Creates a point; <paramref name="timestampNs"/> is Unix time in nanoseconds.</summary>
    public PointData(string measurement, ReadOnlyMemory<KeyValuePair<string, string>> tags, ReadOnlyMemory<FieldValue> fields, long timestampNs)
    {
        Measurement = measurement;
        Tags = tags;
        Fields = fields;
        TimestampNs = timestampNs;
    }

    /// <summary>Measurement name.</summary>
    public string Measurement { get; }

    /// <summary>Tag set, in any order (the encoder sorts by key).</summary>
    public ReadOnlyMemory<KeyValuePair<string, string>> Tags { get; }

    /// <summary>Field set; at least one.</summary>
    public ReadOnlyMemory<FieldValue> Fields { get; }

    /// <summary>Unix time in nanoseconds.</summary>
    public long TimestampNs { get; }
}
