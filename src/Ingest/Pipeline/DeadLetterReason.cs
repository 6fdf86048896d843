namespace Resilience.Ingest.Pipeline;

/// <summary>Why a message was not accepted; each becomes a dead letter with <see cref="DeadLetterReasons.Describe"/>.</summary>
public enum DeadLetterReason : byte
{
    /// <summary>Accepted (not a dead letter).</summary>
    None,

    /// <summary>The topic is not <c>sensors/{province}/{sensorId}/telemetry|status</c>.</summary>
    BadTopic,

    /// <summary>The topic's province is not one of the configured slugs.</summary>
    UnknownProvince,

    /// <summary>The topic's sensor id does not match <c>[a-z0-9-]{1,64}</c>.</summary>
    BadSensorId,

    /// <summary>The payload is larger than the configured maximum.</summary>
    PayloadTooLarge,

    /// <summary>The payload is empty.</summary>
    EmptyPayload,

    /// <summary>The payload is not well-formed JSON (or not valid UTF-8); the offset says where.</summary>
    MalformedJson,

    /// <summary>The JSON is neither a telemetry object nor a SenML array, or a member has the wrong JSON type.</summary>
    UnexpectedShape,

    /// <summary>A value names a quantity outside DESIGN.md's list.</summary>
    UnknownQuantity,

    /// <summary>A SenML unit does not match the quantity's unit.</summary>
    BadUnit,

    /// <summary>A value is not a finite number (<c>1e400</c>, a string, a boolean, null).</summary>
    BadValue,

    /// <summary>The timestamp is not RFC 3339 / epoch milliseconds, or is out of the accepted range.</summary>
    BadTimestamp,

    /// <summary>The sequence number is not a non-negative integer.</summary>
    BadSeq,

    /// <summary>The same quantity or member appears twice in one reading.</summary>
    Duplicate,

    /// <summary>No values at all.</summary>
    NoValues,

    /// <summary>More readings (distinct SenML times) than the decoder's buffer holds.</summary>
    TooManyReadings,

    /// <summary>A SenML label ends in <c>_</c> (RFC 8428 §4.4: must-understand).</summary>
    SenmlMustUnderstand,

    /// <summary>A SenML <c>bver</c> newer than 10 (or not a positive integer).</summary>
    SenmlVersion,

    /// <summary>A SenML record without exactly one value field (RFC 8428 §4.2).</summary>
    SenmlValueCount,

    /// <summary>A SenML name that is empty or uses characters outside RFC 8428 §4.5.1.</summary>
    SenmlBadName,

    /// <summary>A status payload other than <c>online</c> / <c>offline</c>.</summary>
    BadStatus,
}
