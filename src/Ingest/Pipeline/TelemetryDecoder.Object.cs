using System.Text.Json;

namespace Resilience.Ingest.Pipeline;

/// <summary>The JSON object form: <c>{"ts": …, "seq": n, "values": {quantity: number}}</c>.</summary>
internal sealed partial class TelemetryDecoder
{
    private DecodeResult DecodeObject(ref Utf8JsonReader reader, Span<byte> scratch, string sensorId, string province, DateTimeOffset now, ref TelemetryReading reading)
    {
        reading.Reset(sensorId, province, now);
        bool sawTs = false;
        bool sawSeq = false;
        bool sawValues = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long nameAt = reader.TokenStartIndex;
            if (!TryGetText(ref reader, scratch, out ReadOnlySpan<byte> name))
            {
                reader.Skip();
                continue;
            }

            if (name.SequenceEqual("ts"u8))
            {
                if (sawTs)
                {
                    return new DecodeResult(DeadLetterReason.Duplicate, nameAt, "ts");
                }

                sawTs = true;
                reader.Read();
                DecodeResult ts = ReadTimestamp(ref reader, scratch, now, ref reading);
                if (!ts.IsSuccess)
                {
                    return ts;
                }
            }
            else if (name.SequenceEqual("seq"u8))
            {
                if (sawSeq)
                {
                    return new DecodeResult(DeadLetterReason.Duplicate, nameAt, "seq");
                }

                sawSeq = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long seq) || seq < 0)
                {
                    return new DecodeResult(DeadLetterReason.BadSeq, reader.TokenStartIndex);
                }

                reading.Seq = seq;
            }
            else if (name.SequenceEqual("values"u8))
            {
                if (sawValues)
                {
                    return new DecodeResult(DeadLetterReason.Duplicate, nameAt, "values");
                }

                sawValues = true;
                DecodeResult values = ReadValues(ref reader, scratch, ref reading);
                if (!values.IsSuccess)
                {
                    return values;
                }
            }
            else
            {
                // Unknown members are ignored so devices can add metadata without breaking ingest.
                reader.Skip();
            }
        }

        if (reading.Count == 0)
        {
            return new DecodeResult(DeadLetterReason.NoValues);
        }

        return DecodeResult.Ok;
    }

    private DecodeResult ReadTimestamp(ref Utf8JsonReader reader, Span<byte> scratch, DateTimeOffset now, ref TelemetryReading reading)
    {
        long at = reader.TokenStartIndex;
        DateTimeOffset ts;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!TryGetText(ref reader, scratch, out ReadOnlySpan<byte> text) || !Rfc3339.TryParse(text, out ts))
            {
                return new DecodeResult(DeadLetterReason.BadTimestamp, at, "not RFC 3339");
            }
        }
        else if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt64(out long ms) || ms < MinTimestamp.ToUnixTimeMilliseconds() || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return new DecodeResult(DeadLetterReason.BadTimestamp, at, "epoch milliseconds must be an integer");
            }

            ts = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        else
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
            }

            return new DecodeResult(DeadLetterReason.BadTimestamp, at, "expected a string or a number");
        }

        if (!IsAcceptable(ts, now))
        {
            return new DecodeResult(DeadLetterReason.BadTimestamp, at, "out of range");
        }

        reading.Timestamp = ts;
        reading.HasDeviceTimestamp = true;
        return DecodeResult.Ok;
    }

    private static DecodeResult ReadValues(ref Utf8JsonReader reader, Span<byte> scratch, ref TelemetryReading reading)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            long at = reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            return new DecodeResult(DeadLetterReason.UnexpectedShape, at, "values must be an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long at = reader.TokenStartIndex;
            if (!TryGetText(ref reader, scratch, out ReadOnlySpan<byte> name) || !QuantityNames.TryParse(name, out Quantity quantity))
            {
                return new DecodeResult(DeadLetterReason.UnknownQuantity, at, reader.GetString());
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value) || !double.IsFinite(value))
            {
                return new DecodeResult(DeadLetterReason.BadValue, reader.TokenStartIndex, QuantityNames.GetName(quantity));
            }

            if (!reading.TryAdd(quantity, value))
            {
                return new DecodeResult(DeadLetterReason.Duplicate, at, QuantityNames.GetName(quantity));
            }
        }

        return DecodeResult.Ok;
    }
}
