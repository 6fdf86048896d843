using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Unicode;

namespace Resilience.Ingest.Storage;

/// <summary>
/// Encodes one <see cref="PointData"/> as one line of InfluxDB line protocol, straight into a UTF-8 span.
/// Everything the protocol (or InfluxDB 1.x, see DESIGN.md "Facts about the peers") cannot carry is refused
/// with an <see cref="ArgumentException"/>, so no line that InfluxDB would reject (or crash on) ever leaves.
/// </summary>
/// <remarks>
/// Escaping (line-protocol spec, "Special characters"): measurement — comma and space; tag keys, tag values and
/// field keys — comma, equals sign and space; string field values — double quote and backslash. A backslash in
/// a name is written literally, because InfluxDB does not unescape <c>\\</c> in names; so a name that ends in a
/// backslash, or has one right before a comma, equals sign or space, cannot be represented and is refused.
/// Tags with an empty value are left out (InfluxDB treats an absent tag as the empty value).
/// </remarks>
internal static class LineProtocolEncoder
{
    /// <summary>InfluxDB's documented limit for a string field value.</summary>
    public const int MaxStringFieldBytes = 64 * 1024;

    private const int MaxStackTags = 64;

    // Bytes that need a look in names: the escapable ones, the backslash and line breaks.
    private static readonly SearchValues<byte> s_nameAttention = SearchValues.Create(",= \\\n\r"u8);
    private static readonly SearchValues<byte> s_stringAttention = SearchValues.Create("\"\\"u8);
    private static readonly double[] s_powersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
    ];

    // 1 for ASCII bytes that need a look in a name (comma, equals, space, backslash, CR, LF).
    private static ReadOnlySpan<byte> NameAttentionAscii =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    private enum NameKind
    {
        Measurement,
        TagKey,
        TagValue,
        FieldKey,
    }

    /// <summary>
    /// Encodes <paramref name="point"/> followed by <c>\n</c> into <paramref name="destination"/>.
    /// </summary>
    /// <returns>The bytes written, or -1 when <paramref name="destination"/> is too small (nothing is valid then).</returns>
    /// <exception cref="ArgumentException">The point cannot be written as line protocol.</exception>
    public static int Encode(in PointData point, Span<byte> destination, WritePrecision precision, bool unsignedAsInteger)
    {
        string measurement = point.Measurement;
        if (string.IsNullOrEmpty(measurement))
        {
            ThrowInvalid("The measurement is empty.");
        }

        if (measurement[0] == '#')
        {
            ThrowInvalid("A measurement must not start with '#' (the line would be a comment).");
        }

        ReadOnlySpan<FieldValue> fields = point.Fields.Span;
        if (fields.IsEmpty)
        {
            ThrowInvalid("A point needs at least one field.");
        }

        int pos = WriteName(measurement, destination, NameKind.Measurement);
        if (pos < 0)
        {
            return -1;
        }

        ReadOnlySpan<KeyValuePair<string, string>> tags = point.Tags.Span;
        if (!tags.IsEmpty)
        {
            int written = WriteTags(tags, destination[pos..]);
            if (written < 0)
            {
                return -1;
            }

            pos += written;
        }

        if (pos >= destination.Length)
        {
            return -1;
        }

        destination[pos++] = (byte)' ';
        for (int i = 0; i < fields.Length; i++)
        {
            ref readonly FieldValue field = ref fields[i];
            if (field.Key is null)
            {
                ThrowInvalid("A field key is null.");
            }

            for (int j = 0; j < i; j++)
            {
                if (string.Equals(fields[j].Key, field.Key, StringComparison.Ordinal))
                {
                    ThrowInvalid($"Duplicate field key '{field.Key}'.");
                }
            }

            if (i > 0)
            {
                if (pos >= destination.Length)
                {
                    return -1;
                }

                destination[pos++] = (byte)',';
            }

            int n = WriteName(field.Key, destination[pos..], NameKind.FieldKey);
            if (n < 0 || pos + n >= destination.Length)
            {
                return -1;
            }

            pos += n;
            destination[pos++] = (byte)'=';
            n = WriteFieldValue(in field, destination[pos..], unsignedAsInteger);
            if (n < 0)
            {
                return -1;
            }

            pos += n;
        }

        long ts = ToPrecision(point.TimestampNs, precision);
        if (pos >= destination.Length)
        {
            return -1;
        }

        destination[pos++] = (byte)' ';
        if (!Utf8Formatter.TryFormat(ts, destination[pos..], out int tsLength) || pos + tsLength >= destination.Length)
        {
            return -1;
        }

        pos += tsLength;
        destination[pos++] = (byte)'\n';
        return pos;
    }

    /// <summary>The <c>precision</c> query value of the 1.x <c>/write</c> endpoint.</summary>
    public static string V1PrecisionName(WritePrecision precision) => precision switch
    {
        WritePrecision.Microseconds => "u",
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => "n",
    };

    /// <summary>The <c>precision</c> query value of the 2.x <c>/api/v2/write</c> endpoint.</summary>
    public static string V2PrecisionName(WritePrecision precision) => precision switch
    {
        WritePrecision.Microseconds => "us",
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => "ns",
    };

    /// <summary>Converts Unix nanoseconds to <paramref name="precision"/>, rounding toward negative infinity.</summary>
    public static long ToPrecision(long timestampNs, WritePrecision precision)
    {
        // InfluxDB's valid range is [MinInt64 + 2, MaxInt64 - 1] ns (MinInt64 and MinInt64 + 1 are sentinels).
        if (timestampNs < long.MinValue + 2 || timestampNs == long.MaxValue)
        {
            ThrowInvalid("The timestamp is outside InfluxDB's range.");
        }

        long divisor = precision switch
        {
            WritePrecision.Microseconds => 1_000,
            WritePrecision.Milliseconds => 1_000_000,
            WritePrecision.Seconds => 1_000_000_000,
            _ => 1,
        };
        if (divisor == 1)
        {
            return timestampNs;
        }

        long q = Math.DivRem(timestampNs, divisor, out long r);
        return r < 0 ? q - 1 : q;
    }

    private static int WriteTags(ReadOnlySpan<KeyValuePair<string, string>> tags, Span<byte> destination)
    {
        int count = tags.Length;
        int[]? rented = null;
        Span<int> order = count <= MaxStackTags ? stackalloc int[count] : (rented = ArrayPool<int>.Shared.Rent(count)).AsSpan(0, count);
        try
        {
            // Insertion sort by ordinal key: points carry a handful of tags, and this allocates nothing.
            for (int i = 0; i < count; i++)
            {
                string? key = tags[i].Key;
                if (string.IsNullOrEmpty(key))
                {
                    ThrowInvalid("A tag key is null or empty.");
                }

                int j = i - 1;
                while (j >= 0 && string.CompareOrdinal(tags[order[j]].Key, key) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = i;
            }

            int pos = 0;
            for (int i = 0; i < count; i++)
            {
                KeyValuePair<string, string> tag = tags[order[i]];
                if (i > 0 && string.Equals(tags[order[i - 1]].Key, tag.Key, StringComparison.Ordinal))
                {
                    ThrowInvalid($"Duplicate tag key '{tag.Key}'.");
                }

                if (string.Equals(tag.Key, "time", StringComparison.Ordinal))
                {
                    ThrowInvalid("A tag key must not be 'time' (InfluxDB rejects it).");
                }

                if (tag.Value is null)
                {
                    ThrowInvalid($"The value of tag '{tag.Key}' is null.");
                }

                if (tag.Value.Length == 0)
                {
                    continue;
                }

                if (pos >= destination.Length)
                {
                    return -1;
                }

                destination[pos++] = (byte)',';
                int n = WriteName(tag.Key, destination[pos..], NameKind.TagKey);
                if (n < 0 || pos + n >= destination.Length)
                {
                    return -1;
                }

                pos += n;
                destination[pos++] = (byte)'=';
                n = WriteName(tag.Value, destination[pos..], NameKind.TagValue);
                if (n < 0)
                {
                    return -1;
                }

                pos += n;
            }

            return pos;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private static int WriteFieldValue(in FieldValue field, Span<byte> destination, bool unsignedAsInteger)
    {
        int n;
        switch (field.Kind)
        {
            case FieldKind.Float:
                double d = field.FloatValue;
                if (!double.IsFinite(d))
                {
                    ThrowInvalid($"Field '{field.Key}' is NaN or infinite.");
                }

                // InfluxDB types a bare "1" as a float too, so integral floats need no ".0".
                return WriteFloat(d, destination);

            case FieldKind.Integer:
                return Utf8Formatter.TryFormat(field.IntegerBits, destination, out n) && n < destination.Length ? Suffix(destination, n, (byte)'i') : -1;

            case FieldKind.UInteger:
                ulong u = unchecked((ulong)field.IntegerBits);
                if (unsignedAsInteger)
                {
                    if (u > long.MaxValue)
                    {
                        ThrowInvalid($"Field '{field.Key}' = {u} exceeds the signed 64-bit range the 1.x target can store.");
                    }

                    return Utf8Formatter.TryFormat(u, destination, out n) && n < destination.Length ? Suffix(destination, n, (byte)'i') : -1;
                }

                return Utf8Formatter.TryFormat(u, destination, out n) && n < destination.Length ? Suffix(destination, n, (byte)'u') : -1;

            case FieldKind.Boolean:
                ReadOnlySpan<byte> text = field.IntegerBits != 0 ? "true"u8 : "false"u8;
                return text.TryCopyTo(destination) ? text.Length : -1;

            case FieldKind.String:
                return WriteStringValue(field.StringValue, field.Key, destination);

            default:
                ThrowInvalid($"Field '{field.Key}' has an unknown kind.");
                return -1;
        }
    }

    /// <summary>
    /// Writes a finite double so that it parses back to the same value. Fast path: the smallest k ≤ 17 for which
    /// m = round(d·10^k) is an integer below 2^53 and m / 10^k == d. Both m and 10^k are exact doubles and IEEE
    /// division is correctly rounded, so m / 10^k is exactly what a correct parser makes of the decimal "m·10^-k":
    /// the text round-trips, and with the smallest k it has the fewest digits after the point. Everything else
    /// (huge, tiny, or 17-digit values) takes the runtime's shortest round-trip format ("R" semantics, e.g. 1E+20).
    /// </summary>
    internal static int WriteFloat(double d, Span<byte> destination)
    {
        double magnitude = Math.Abs(d);
        if (magnitude == 0)
        {
            ReadOnlySpan<byte> zero = double.IsNegative(d) ? "-0"u8 : "0"u8;
            return zero.TryCopyTo(destination) ? zero.Length : -1;
        }

        if (magnitude >= 1e-6 && magnitude < 1e15)
        {
            ReadOnlySpan<double> powers = s_powersOf10;
            for (int k = 0; k < powers.Length; k++)
            {
                double m = Math.Round(d * powers[k]);
                if (Math.Abs(m) >= 9007199254740992.0)
                {
                    break;
                }

                if (m / powers[k] == d)
                {
                    return WriteDecimal((long)m, k, destination);
                }
            }
        }

        return d.TryFormat(destination, out int n, "R", CultureInfo.InvariantCulture) ? n : -1;
    }

    private static int WriteDecimal(long mantissa, int scale, Span<byte> destination)
    {
        int pos = 0;
        if (mantissa < 0)
        {
            if (destination.IsEmpty)
            {
                return -1;
            }

            destination[pos++] = (byte)'-';
            mantissa = -mantissa;
        }

        Span<byte> digits = stackalloc byte[20];
        if (!Utf8Formatter.TryFormat(mantissa, digits, out int count))
        {
            return -1;
        }

        if (scale == 0)
        {
            return digits[..count].TryCopyTo(destination[pos..]) ? pos + count : -1;
        }

        int integerDigits = count - scale;
        int length = pos + (integerDigits > 0 ? count + 1 : scale + 2);
        if (length > destination.Length)
        {
            return -1;
        }

        if (integerDigits > 0)
        {
            digits[..integerDigits].CopyTo(destination[pos..]);
            pos += integerDigits;
            destination[pos++] = (byte)'.';
            digits[integerDigits..count].CopyTo(destination[pos..]);
        }
        else
        {
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            destination.Slice(pos, -integerDigits).Fill((byte)'0');
            pos += -integerDigits;
            digits[..count].CopyTo(destination[pos..]);
        }

        return length;
    }

    private static int Suffix(Span<byte> destination, int length, byte suffix)
    {
        destination[length] = suffix;
        return length + 1;
    }

    private static int WriteStringValue(string? value, string key, Span<byte> destination)
    {
        if (value is null)
        {
            ThrowInvalid($"String field '{key}' is null.");
        }

        if (destination.Length < 2)
        {
            return -1;
        }

        destination[0] = (byte)'"';
        int n = Transcode(value, destination[1..]);
        if (n < 0)
        {
            return -1;
        }

        Span<byte> body = destination.Slice(1, n);
        int first = body.IndexOfAny(s_stringAttention);
        if (first >= 0)
        {
            int extra = 0;
            for (int i = first; i < n; i++)
            {
                if (body[i] is (byte)'"' or (byte)'\\')
                {
                    extra++;
                }
            }

            if (1 + n + extra >= destination.Length)
            {
                return -1;
            }

            // Expand in place from the back so each byte moves once.
            Span<byte> all = destination.Slice(1, n + extra);
            int w = n + extra - 1;
            for (int r = n - 1; r >= first; r--)
            {
                byte b = all[r];
                all[w--] = b;
                if (b is (byte)'"' or (byte)'\\')
                {
                    all[w--] = (byte)'\\';
                }
            }

            n += extra;
        }

        if (n > MaxStringFieldBytes)
        {
            ThrowInvalid($"String field '{key}' is longer than {MaxStringFieldBytes} bytes.");
        }

        if (1 + n >= destination.Length)
        {
            return -1;
        }

        destination[1 + n] = (byte)'"';
        return n + 2;
    }

    private static int WriteName(string? name, Span<byte> destination, NameKind kind)
    {
        if (name is null)
        {
            ThrowInvalid($"A {Describe(kind)} is null.");
        }

        if (name.Length == 0)
        {
            ThrowInvalid($"A {Describe(kind)} is empty.");
        }

        if (kind == NameKind.FieldKey && string.Equals(name, "time", StringComparison.Ordinal))
        {
            ThrowInvalid("A field key must not be 'time' (InfluxDB drops it silently).");
        }

        // Fast path for the usual short plain-ASCII name: copy and check in one pass.
        if (name.Length <= 64)
        {
            if (destination.Length < name.Length)
            {
                return -1;
            }

            ReadOnlySpan<byte> attention = NameAttentionAscii;
            int i = 0;
            for (; i < name.Length; i++)
            {
                char c = name[i];
                if (c >= 0x80 || attention[c] != 0)
                {
                    break;
                }

                destination[i] = (byte)c;
            }

            if (i == name.Length)
            {
                return i;
            }
        }

        int n = Transcode(name, destination);
        if (n < 0)
        {
            return -1;
        }

        Span<byte> text = destination[..n];
        int first = text.IndexOfAny(s_nameAttention);
        if (first < 0)
        {
            return n;
        }

        int extra = 0;
        for (int i = first; i < n; i++)
        {
            byte b = text[i];
            switch (b)
            {
                case (byte)'\n':
                case (byte)'\r':
                    ThrowInvalid($"A {Describe(kind)} contains a line break: '{name}'.");
                    break;
                case (byte)'\\':
                    if (i == n - 1 || text[i + 1] is (byte)',' or (byte)'=' or (byte)' ')
                    {
                        ThrowInvalid($"A {Describe(kind)} has a backslash at its end or before a comma, equals sign or space, which line protocol cannot carry: '{name}'.");
                    }

                    break;
                default:
                    if (NeedsEscape(b, kind))
                    {
                        extra++;
                    }

                    break;
            }
        }

        if (extra == 0)
        {
            return n;
        }

        if (n + extra > destination.Length)
        {
            return -1;
        }

        Span<byte> all = destination[..(n + extra)];
        int w = n + extra - 1;
        for (int r = n - 1; r >= first; r--)
        {
            byte b = all[r];
            all[w--] = b;
            if (NeedsEscape(b, kind))
            {
                all[w--] = (byte)'\\';
            }
        }

        return n + extra;
    }

    private static bool NeedsEscape(byte b, NameKind kind) =>
        b is (byte)',' or (byte)' ' || (b == (byte)'=' && kind != NameKind.Measurement);

    private static int Transcode(string value, Span<byte> destination)
    {
        OperationStatus status = Utf8.FromUtf16(value, destination, out _, out int written, replaceInvalidSequences: false);
        return status switch
        {
            OperationStatus.Done => written,
            OperationStatus.DestinationTooSmall => -1,
            _ => ThrowInvalidUtf16(value),
        };
    }

    private static string Describe(NameKind kind) => kind switch
    {
        NameKind.Measurement => "measurement",
        NameKind.TagKey => "tag key",
        NameKind.TagValue => "tag value",
        _ => "field key",
    };

    private static int ThrowInvalidUtf16(string value)
    {
        ThrowInvalid($"Text is not valid Unicode (a lone surrogate) and cannot be encoded as UTF-8: '{value}'.");
        return -1;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowInvalid(string message) => throw new ArgumentException("Invalid point for line protocol: " + message);
}
