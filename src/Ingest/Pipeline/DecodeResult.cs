namespace Resilience.Ingest.Pipeline;

/// <summary>
/// The outcome of decoding one message: <see cref="DeadLetterReason.None"/> or a rejection with the byte offset
/// (−1 when not applicable) and a short detail (allocated only on the rejection path).
/// </summary>
public readonly struct DecodeResult
{
    /// <summary>Creates a result.</summary>
    public DecodeResult(DeadLetterReason reason, long offset = -1, string? detail = null)
    {
        Reason = reason;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>A success.</summary>
    public static DecodeResult Ok => default;

    /// <summary>Why the message was rejected, or <see cref="DeadLetterReason.None"/>.</summary>
    public DeadLetterReason Reason { get; }

    /// <summary>The payload byte offset of the problem, or −1.</summary>
    public long Offset { get; }

    /// <summary>A short detail such as the offending name, or null.</summary>
    public string? Detail { get; }

    /// <summary>True when the message was accepted.</summary>
    public bool IsSuccess => Reason == DeadLetterReason.None;

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? "ok" : DeadLetterReasons.Describe(this);
}
