namespace Resilience.Silo.Sensors;

/// <summary>The persisted state of a sensor grain (Orleans serializer; the history is packed binary).</summary>
[GenerateSerializer]
[Alias("resilience.sensor-state")]
internal sealed class SensorState
{
    /// <summary>Highest sequence number seen, or -1.</summary>
    [Id(0)]
    public long MaxSeq { get; set; } = -1;

    /// <summary>Bit i set = sequence number <c>MaxSeq - i</c> seen (anti-replay window of 64).</summary>
    [Id(1)]
    public ulong SeqWindow { get; set; }

    /// <summary>A sequence number outside the window waiting for confirmation (<see cref="SequenceGuard"/>), or -1.</summary>
    [Id(10)]
    public long SeqCandidate { get; set; } = -1;

    /// <summary>Readings dropped as duplicates by sequence number (per sensor, cumulative).</summary>
    [Id(11)]
    public long Duplicates { get; set; }

    /// <summary>Timestamp (Unix ms) of the newest accepted reading.</summary>
    [Id(2)]
    public long LastTsMs { get; set; }

    /// <summary>Latest values, one per quantity reported.</summary>
    [Id(3)]
    public LatestValue[] Latest { get; set; } = [];

    /// <summary>The last hour of values, packed by <see cref="HistoryBuffer.Pack"/>.</summary>
    [Id(4)]
    public byte[]? History { get; set; }

    /// <summary>Current quality flags.</summary>
    [Id(5)]
    public QualityFlags Flags { get; set; }

    /// <summary>The primary value a flat line is being measured against.</summary>
    [Id(6)]
    public double FlatValue { get; set; }

    /// <summary>Since when (Unix ms) the primary value has stayed at <see cref="FlatValue"/>; 0 = not tracking.</summary>
    [Id(7)]
    public long FlatSinceMs { get; set; }

    /// <summary>When the silo last heard from the sensor (receive time, Unix ms; 0 = never).</summary>
    [Id(8)]
    public long LastSeenMs { get; set; }

    /// <summary>The device's retained status topic said <c>offline</c> (cleared by its next data).</summary>
    [Id(9)]
    public bool StatusOffline { get; set; }
}
