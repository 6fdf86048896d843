namespace Resilience.Ingest.Storage;

/// <summary>Timestamp precision of the line-protocol timestamps (the <c>precision</c> query parameter).</summary>
public enum WritePrecision
{
    /// <summary>Nanoseconds (<c>ns</c>, 1.x <c>n</c>).</summary>
    Nanoseconds,

    /// <summary>Microseconds (<c>us</c>, 1.x <c>u</c>).</summary>
    Microseconds,

    /// <summary>Milliseconds (<c>ms</c>).</summary>
    Milliseconds,

    /// <summary>Seconds (<c>s</c>).</summary>
    Seconds,
}
