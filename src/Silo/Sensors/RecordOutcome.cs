namespace Resilience.Silo.Sensors;

/// <summary>What a sensor grain did with a reading.</summary>
[GenerateSerializer]
[Alias("resilience.record-outcome")]
internal enum RecordOutcome : byte
{
    /// <summary>New and in order: stored and made the latest value.</summary>
    Accepted,

    /// <summary>Older than the latest value: stored in InfluxDB, latest unchanged.</summary>
    OutOfOrder,

    /// <summary>A sequence number already seen: dropped.</summary>
    Duplicate,

    /// <summary>Outside the hard limits: stored and flagged, latest unchanged.</summary>
    Rejected,

    /// <summary>The sensor is not in the registry.</summary>
    UnknownSensor,
}
