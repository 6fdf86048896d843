namespace Resilience.Silo.Sensors;

/// <summary>The live model of one sensor, keyed by sensor id.</summary>
[Alias("resilience.sensor")]
internal interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>Applies one reading: dedupe, ordering, quality checks, storage, zone/air-quality hand-off, rules.</summary>
    [Alias("record")]
    ValueTask<RecordOutcome> RecordAsync(SensorReading reading);

    /// <summary>The sensor's current snapshot, with the last hour when <paramref name="includeHistory"/>; null for an
    /// id that is not in the registry.</summary>
    [Alias("snapshot")]
    ValueTask<SensorSnapshot?> GetSnapshotAsync(bool includeHistory);

    /// <summary>The device's retained status topic (<c>online</c>/<c>offline</c>) at <paramref name="atMs"/>.</summary>
    [Alias("status")]
    ValueTask SetStatusAsync(bool online, long atMs);

    /// <summary>
    /// Completes when every point this grain wrote so far is durable on the grain's silo (InfluxDB answered, or
    /// it is in the spool): the acknowledgement of a reading waits for this, called right after
    /// <see cref="RecordAsync"/>. Interleaves with other calls: it reads no state, so it never holds up the
    /// sensor's next reading.
    /// </summary>
    [Alias("durable")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task WhenDurableAsync();
}
