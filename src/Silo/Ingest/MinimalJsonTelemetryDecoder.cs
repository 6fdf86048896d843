using System.Globalization;
using System.Text.Json;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Ingest;

/// <summary>
/// A small decoder for the JSON object form of the telemetry payload
/// (<c>{"ts": RFC 3339 | epoch ms, "seq": n, "values": {"quantity": number}}</c>); SenML is left to the
/// pipeline's decoder. Unknown quantities, non-finite numbers and malformed JSON are rejected with a reason.
/// </summary>
internal sealed class MinimalJsonTelemetryDecoder : ITelemetryDecoder
{
    public bool TryDecode(ReadOnlySpan<byte> payload, long receivedMs, out SensorReading? reading, out string? error)
    {
        reading = null;
        try
        {
            return TryDecodeCore(payload, receivedMs, out reading, out error);
        }
        catch (JsonException ex)
        {
            error = "malformed JSON: " + ex.Message;
            return false;
        }
        catch (FormatException ex)
        {
            error = "bad value: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            error = "bad value: " + ex.Message;
            return false;
        }
    }

    private static bool TryDecodeCore(ReadOnlySpan<byte> payload, long receivedMs, out SensorReading? reading, out string? error)
    {
        reading = null;
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "payload is not a JSON object";
            return false;
        }

        long ts = receivedMs;
        bool deviceTime = false;
        long seq = -1;
        Span<QuantityValue> values = stackalloc QuantityValue[Quantities.Count];
        int count = 0;
        Span<char> name = stackalloc char[32];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number)
                {
                    ts = reader.GetInt64();
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    ts = DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
                }
                else
                {
                    error = "ts must be RFC 3339 or epoch milliseconds";
                    return false;
                }

                deviceTime = true;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out seq) || seq < 0)
                {
                    error = "seq must be a non-negative integer";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error = "values must be an object";
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.HasValueSequence || reader.ValueSpan.Length > name.Length)
                    {
                        error = "unknown quantity";
                        return false;
                    }

                    int len = reader.CopyString(name);
                    if (!Quantities.TryParse(name[..len], out Quantity q))
                    {
                        error = "unknown quantity";
                        return false;
                    }

                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v) || !double.IsFinite(v))
                    {
                        error = $"value of {Quantities.Name(q)} must be a finite number";
                        return false;
                    }

                    if (count < values.Length)
                    {
                        values[count++] = new QuantityValue(q, v);
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (count == 0)
        {
            error = "no values";
            return false;
        }

        error = null;
        reading = new SensorReading(ts, seq, values[..count].ToArray(), deviceTime);
        return true;
    }
}
