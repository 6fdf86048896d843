namespace Resilience.Ingest.Storage;

/// <summary>Counters of the InfluxDB writer since start, for <c>/metrics</c> and the <c>pipeline</c> measurement.</summary>
/// <param name="Accepted">Points accepted by <see cref="IPointWriter.TryWrite"/>.</param>
/// <param name="Written">Lines InfluxDB acknowledged.</param>
/// <param name="Retried">Write requests retried after a transient error.</param>
/// <param name="SpooledBytes">Bytes waiting in the disk spool now.</param>
/// <param name="SpooledBatches">Batches waiting in the disk spool now.</param>
/// <param name="DeadLetters">Lines InfluxDB refused, written to the dead-letter file.</param>
/// <param name="Dropped">Lines dropped by the spool's DropOldest policy or lost to a corrupt spool record.</param>
/// <param name="LastError">The last error InfluxDB (or the network) reported, or null.</param>
/// <param name="LastErrorAt">When <paramref name="LastError"/> happened.</param>
public readonly record struct InfluxWriterSnapshot(
    long Accepted,
    long Written,
    long Retried,
    long SpooledBytes,
    long SpooledBatches,
    long DeadLetters,
    long Dropped,
    string? LastError,
    DateTimeOffset? LastErrorAt);
