namespace Resilience.Silo.Sensors;

/// <summary>The persisted state of a sensor grain (JSON; the history is packed binary).</summary>
internal sealed class SensorState
{
    /// <summary>Highest sequence number seen, or -1.</summary>
    public long MaxSeq { get; set; } = -1;

    /// <summary>Bit i set = sequence number <c>MaxSeq - i</c> seen (anti-replay window of 64).</summary>
    public ulong SeqWindow { get; set; }

    /// <summary>A sequence number outside the window waiting for confirmation (<see cref="SequenceGuard"/>), or -1.</summary>
    public long SeqCandidate { get; set; } = -1;

    /// <summary>Readings dropped as duplicates by sequence number (per sensor, cumulative).</summary>
    public long Duplicates { get; set; }

    /// <summary>Timestamp (Unix ms) of the newest accepted reading.</summary>
    public long LastTsMs { get; set; }

    /// <summary>Latest values, one per quantity reported.</summary>
    public LatestValue[] Latest { get; set; } = [];

    /// <summary>The last hour of values, packed by <see cref="HistoryBuffer.Pack"/>.</summary>
    public byte[]? History { get; set; }

    /// <summary>Current quality flags.</summary>
    public QualityFlags Flags { get; set; }

    /// <summary>The primary value a flat line is being measured against.</summary>
    public double FlatValue { get; set; }

    /// <summary>Since when (Unix ms) the primary value has stayed at <see cref="FlatValue"/>; 0 = not tracking.</summary>
    public long FlatSinceMs { get; set; }
}
