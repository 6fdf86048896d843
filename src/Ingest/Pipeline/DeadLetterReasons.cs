namespace Resilience.Ingest.Pipeline;

/// <summary>Text and metric tags for <see cref="DeadLetterReason"/>.</summary>
public static class DeadLetterReasons
{
    /// <summary>A stable snake_case code, used as a metric tag and in the dead-letter file.</summary>
    public static string Code(DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.None => "none",
        DeadLetterReason.BadTopic => "bad_topic",
        DeadLetterReason.UnknownProvince => "unknown_province",
        DeadLetterReason.BadSensorId => "bad_sensor_id",
        DeadLetterReason.PayloadTooLarge => "payload_too_large",
        DeadLetterReason.EmptyPayload => "empty_payload",
        DeadLetterReason.MalformedJson => "malformed_json",
        DeadLetterReason.UnexpectedShape => "unexpected_shape",
        DeadLetterReason.UnknownQuantity => "unknown_quantity",
        DeadLetterReason.BadUnit => "bad_unit",
        DeadLetterReason.BadValue => "bad_value",
        DeadLetterReason.BadTimestamp => "bad_ts",
        DeadLetterReason.BadSeq => "bad_seq",
        DeadLetterReason.Duplicate => "duplicate",
        DeadLetterReason.NoValues => "no_values",
        DeadLetterReason.TooManyReadings => "too_many_readings",
        DeadLetterReason.SenmlMustUnderstand => "senml_must_understand",
        DeadLetterReason.SenmlVersion => "senml_version",
        DeadLetterReason.SenmlValueCount => "senml_value_count",
        DeadLetterReason.SenmlBadName => "senml_bad_name",
        DeadLetterReason.BadStatus => "bad_status",
        _ => "unknown",
    };

    /// <summary>A human-readable reason, e.g. <c>malformed JSON at offset 17</c> or <c>unknown quantity 'foo'</c>.</summary>
    public static string Describe(in DecodeResult result)
    {
        string head = result.Reason switch
        {
            DeadLetterReason.BadTopic => "bad topic",
            DeadLetterReason.UnknownProvince => "unknown province",
            DeadLetterReason.BadSensorId => "bad sensor id",
            DeadLetterReason.PayloadTooLarge => "payload too large",
            DeadLetterReason.EmptyPayload => "empty payload",
            DeadLetterReason.MalformedJson => "malformed JSON",
            DeadLetterReason.UnexpectedShape => "unexpected JSON shape",
            DeadLetterReason.UnknownQuantity => "unknown quantity",
            DeadLetterReason.BadUnit => "bad unit",
            DeadLetterReason.BadValue => "bad value (not a finite number)",
            DeadLetterReason.BadTimestamp => "bad ts",
            DeadLetterReason.BadSeq => "bad seq",
            DeadLetterReason.Duplicate => "duplicate",
            DeadLetterReason.NoValues => "no values",
            DeadLetterReason.TooManyReadings => "too many readings",
            DeadLetterReason.SenmlMustUnderstand => "SenML label ending in '_' not understood",
            DeadLetterReason.SenmlVersion => "unsupported SenML bver",
            DeadLetterReason.SenmlValueCount => "SenML record without exactly one value",
            DeadLetterReason.SenmlBadName => "bad SenML name",
            DeadLetterReason.BadStatus => "bad status (expected online/offline)",
            _ => result.Reason.ToString(),
        };

        string text = result.Offset >= 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{head} at offset {result.Offset}")
            : head;
        return result.Detail is null ? text : string.Concat(text, ": ", result.Detail);
    }
}
