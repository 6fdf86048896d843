namespace Resilience.Alerts.Evaluation;

/// <summary>Data-quality flags the sensor grain attaches to a reading (DOMAIN.md §6; API <c>flags</c>).</summary>
[Flags]
internal enum DataQualityFlags : byte
{
    /// <summary>Good data.</summary>
    None = 0,

    /// <summary>No reading within the expected interval: the sensor is offline.</summary>
    Stale = 1,

    /// <summary>The value jumped faster than the sensor's rate limit.</summary>
    Spike = 2,

    /// <summary>The value has not changed for too long (stuck sensor).</summary>
    FlatLine = 4,

    /// <summary>The value is outside the sensor's hard limits.</summary>
    OutOfRange = 8,

    /// <summary>The flags that make a value suspect.</summary>
    Suspect = Spike | FlatLine | OutOfRange,
}
