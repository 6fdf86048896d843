using System.Text.Json;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// SenML JSON (RFC 8428): base fields carried forward, relative times (&lt; 2^28 s) against the receive time,
/// must-understand labels (ending in <c>_</c>) rejected, <c>bver</c> ≤ 10, exactly one value field per record.
/// Records are grouped into readings by resolved time; the quantity is the name's last segment after the base
/// name prefix (after the last <c>:</c> or <c>/</c>), and the unit (<c>u</c>, else <c>bu</c>) must be ours when given.
/// </summary>
internal sealed partial class TelemetryDecoder
{
    private const double RelativeTimeLimit = 268_435_456; // 2^28 seconds, RFC 8428 §4.5.3
    private const int SupportedSenmlVersion = 10;

    private DecodeResult DecodeSenml(ref Utf8JsonReader reader, ScratchBuffers buffers, string sensorId, string province, DateTimeOffset now, Span<TelemetryReading> destination, out int written)
    {
        written = 0;
        Span<byte> scratch = buffers.Scratch;
        Span<byte> baseName = buffers.BaseName;
        Span<byte> baseUnit = buffers.BaseUnit;
        Span<byte> name = buffers.Name;
        Span<byte> unit = buffers.Unit;
        ReadOnlySpan<byte> bnValue = default;
        ReadOnlySpan<byte> buValue = default;
        bool hasBaseUnit = false;
        double baseTime = 0;
        double baseValue = 0;
        bool hasBaseTime = false;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long recordAt = reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new DecodeResult(DeadLetterReason.UnexpectedShape, recordAt, "SenML records must be objects");
            }

            ReadOnlySpan<byte> nValue = default;
            ReadOnlySpan<byte> uValue = default;
            bool hasUnit = false;
            int valueFields = 0;
            bool numeric = false;
            bool hasSum = false;
            bool hasTime = false;
            double value = 0;
            double time = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                long labelAt = reader.TokenStartIndex;
                if (!TryGetText(ref reader, scratch, out ReadOnlySpan<byte> label))
                {
                    return new DecodeResult(DeadLetterReason.UnexpectedShape, labelAt, "label too long");
                }

                if (label.Length > 0 && label[^1] == (byte)'_')
                {
                    return new DecodeResult(DeadLetterReason.SenmlMustUnderstand, labelAt, Text(label));
                }

                reader.Read();
                long valueAt = reader.TokenStartIndex;
                JsonTokenType type = reader.TokenType;
                DecodeResult bad = default;
                switch (label.Length)
                {
                    case 1 when label[0] == (byte)'n':
                        bad = ReadString(ref reader, type, name, out nValue, "n");
                        break;
                    case 1 when label[0] == (byte)'u':
                        bad = ReadString(ref reader, type, unit, out uValue, "u");
                        hasUnit = true;
                        break;
                    case 1 when label[0] == (byte)'v':
                        valueFields++;
                        numeric = true;
                        if (type != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
                        {
                            bad = new DecodeResult(DeadLetterReason.BadValue, valueAt, "v");
                        }

                        break;
                    case 1 when label[0] == (byte)'s':
                        hasSum = true;
                        bad = ReadNumber(ref reader, type, out _, "s");
                        break;
                    case 1 when label[0] == (byte)'t':
                        hasTime = true;
                        bad = ReadNumber(ref reader, type, out time, "t");
                        break;
                    case 2 when label.SequenceEqual("bn"u8):
                        bad = ReadString(ref reader, type, baseName, out bnValue, "bn");
                        break;
                    case 2 when label.SequenceEqual("bu"u8):
                        bad = ReadString(ref reader, type, baseUnit, out buValue, "bu");
                        hasBaseUnit = true;
                        break;
                    case 2 when label.SequenceEqual("bt"u8):
                        hasBaseTime = true;
                        bad = ReadNumber(ref reader, type, out baseTime, "bt");
                        break;
                    case 2 when label.SequenceEqual("bv"u8):
                        bad = ReadNumber(ref reader, type, out baseValue, "bv");
                        break;
                    case 2 when label.SequenceEqual("vs"u8) || label.SequenceEqual("vb"u8) || label.SequenceEqual("vd"u8):
                        valueFields++;
                        reader.Skip();
                        break;
                    case 4 when label.SequenceEqual("bver"u8):
                        if (type != JsonTokenType.Number || !reader.TryGetInt32(out int version) || version < 1 || version > SupportedSenmlVersion)
                        {
                            bad = new DecodeResult(DeadLetterReason.SenmlVersion, valueAt);
                        }

                        break;
                    default:
                        // bs, ut and unknown labels (RFC 8428 §4.4: ignored unless they end in '_').
                        reader.Skip();
                        break;
                }

                if (!bad.IsSuccess)
                {
                    return bad;
                }
            }

            if (valueFields == 0 && hasSum)
            {
                return new DecodeResult(DeadLetterReason.BadValue, recordAt, "a sum without a value is not a supported reading");
            }

            if (valueFields != 1)
            {
                return new DecodeResult(DeadLetterReason.SenmlValueCount, recordAt);
            }

            if (!numeric)
            {
                return new DecodeResult(DeadLetterReason.BadValue, recordAt, "vs/vb/vd are not numeric readings");
            }

            ReadOnlySpan<byte> n = nValue;
            ReadOnlySpan<byte> bn = bnValue;
            if (!IsValidSenmlName(bn, n))
            {
                return new DecodeResult(DeadLetterReason.SenmlBadName, recordAt, Text(bn) + Text(n));
            }

            ReadOnlySpan<byte> quantityName = LastSegment(n.IsEmpty ? bn : n);
            if (!QuantityNames.TryParse(quantityName, out Quantity quantity))
            {
                return new DecodeResult(DeadLetterReason.UnknownQuantity, recordAt, Text(quantityName));
            }

            ReadOnlySpan<byte> u = hasUnit ? uValue : buValue;
            if ((hasUnit || hasBaseUnit) && !QuantityNames.IsSenmlUnit(quantity, u))
            {
                return new DecodeResult(DeadLetterReason.BadUnit, recordAt, Text(u) + " for " + QuantityNames.GetName(quantity) + " (expected " + QuantityNames.GetSenmlUnit(quantity) + ")");
            }

            double resolvedValue = baseValue + value;
            if (!double.IsFinite(resolvedValue))
            {
                return new DecodeResult(DeadLetterReason.BadValue, recordAt, QuantityNames.GetName(quantity));
            }

            double seconds = baseTime + time;
            if (!TryResolveTime(seconds, now, out DateTimeOffset ts))
            {
                return new DecodeResult(DeadLetterReason.BadTimestamp, recordAt, "SenML time out of range");
            }

            // Records at one time form one reading (at most one value per quantity), wherever they sit in the pack.
            int target = -1;
            for (int i = written - 1; i >= 0; i--)
            {
                if (destination[i].Timestamp == ts && !destination[i].Contains(quantity))
                {
                    target = i;
                    break;
                }
            }

            if (target < 0)
            {
                if (written == destination.Length)
                {
                    return new DecodeResult(DeadLetterReason.TooManyReadings, recordAt);
                }

                target = written++;
                destination[target].Reset(sensorId, province, ts);
                destination[target].HasDeviceTimestamp = hasTime || hasBaseTime;
            }

            destination[target].TryAdd(quantity, resolvedValue);
        }

        return written == 0 ? new DecodeResult(DeadLetterReason.NoValues) : DecodeResult.Ok;
    }

    private bool TryResolveTime(double seconds, DateTimeOffset now, out DateTimeOffset ts)
    {
        ts = default;
        if (!double.IsFinite(seconds))
        {
            return false;
        }

        if (seconds < RelativeTimeLimit)
        {
            // Relative to now (RFC 8428 §4.5.3); added as ticks so "no time at all" is exactly the receive time.
            if (Math.Abs(seconds) > RelativeTimeLimit)
            {
                return false;
            }

            ts = now.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return IsAcceptable(ts, now);
        }

        // Range-check before converting, so no overflow reaches DateTimeOffset.
        if (seconds > 253_402_300_799)
        {
            return false;
        }

        ts = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return IsAcceptable(ts, now);
    }

    private static DecodeResult ReadNumber(ref Utf8JsonReader reader, JsonTokenType type, out double value, string label)
    {
        if (type != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            value = 0;
            if (type is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
            }

            return new DecodeResult(label is "t" or "bt" ? DeadLetterReason.BadTimestamp : DeadLetterReason.BadValue, reader.TokenStartIndex, label);
        }

        return DecodeResult.Ok;
    }

    /// <summary>
    /// A string label's bytes: a view into the payload (which outlives the decode, so base fields can be carried
    /// between records without copying), or unescaped into <paramref name="scratch"/> when it has escapes.
    /// </summary>
    private static DecodeResult ReadString(scoped ref Utf8JsonReader reader, JsonTokenType type, Span<byte> scratch, out ReadOnlySpan<byte> value, string label)
    {
        value = default;
        if (type != JsonTokenType.String)
        {
            return new DecodeResult(DeadLetterReason.UnexpectedShape, reader.TokenStartIndex, label + " must be a string");
        }

        if (reader.ValueSpan.Length > scratch.Length)
        {
            return new DecodeResult(label is "u" or "bu" ? DeadLetterReason.BadUnit : DeadLetterReason.SenmlBadName, reader.TokenStartIndex, label + " too long");
        }

        if (!reader.ValueIsEscaped)
        {
            value = reader.ValueSpan;
            return DecodeResult.Ok;
        }

        value = scratch[..reader.CopyString(scratch)];
        return DecodeResult.Ok;
    }

    /// <summary>RFC 8428 §4.5.1: bn+n non-empty, only <c>A-Z a-z 0-9 - : . / _</c>, starting with a letter or digit.</summary>
    private static bool IsValidSenmlName(ReadOnlySpan<byte> bn, ReadOnlySpan<byte> n)
    {
        if (bn.Length + n.Length == 0)
        {
            return false;
        }

        byte first = bn.IsEmpty ? n[0] : bn[0];
        if (!IsLetterOrDigit(first))
        {
            return false;
        }

        return IsNameChars(bn) && IsNameChars(n);
    }

    private static bool IsNameChars(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
        {
            if (!IsLetterOrDigit(b) && b != '-' && b != ':' && b != '.' && b != '/' && b != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetterOrDigit(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9;

    private static ReadOnlySpan<byte> LastSegment(ReadOnlySpan<byte> name)
    {
        int cut = name.LastIndexOfAny((byte)':', (byte)'/');
        return cut < 0 ? name : name[(cut + 1)..];
    }
}
