namespace Resilience.Ingest.Pipeline;

/// <summary>
/// An allocation-free parser for RFC 3339 §5.6 <c>date-time</c> on UTF-8 bytes: <c>YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)</c>,
/// with <c>t</c>/<c>z</c>/space allowed as the RFC's note permits. The offset is mandatory (unlike ISO 8601
/// local times, which would silently take the server's zone).
/// </summary>
internal static class Rfc3339
{
    /// <summary>Parses <paramref name="text"/>; false for anything that is not an RFC 3339 date-time.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20
            || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':'
            || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
            || !TryDigits(text.Slice(0, 4), out int year)
            || !TryDigits(text.Slice(5, 2), out int month)
            || !TryDigits(text.Slice(8, 2), out int day)
            || !TryDigits(text.Slice(11, 2), out int hour)
            || !TryDigits(text.Slice(14, 2), out int minute)
            || !TryDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        int i = 19;
        long fractionTicks = 0;
        if (text[i] == '.')
        {
            i++;
            int start = i;
            long scale = TimeSpan.TicksPerSecond / 10;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                fractionTicks += (text[i] - '0') * scale;
                scale /= 10;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i >= text.Length)
        {
            return false;
        }

        TimeSpan offset;
        byte sign = text[i];
        if (sign == 'Z' || sign == 'z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (sign == '+' || sign == '-')
        {
            if (text.Length - i != 6 || text[i + 3] != ':'
                || !TryDigits(text.Slice(i + 1, 2), out int oh)
                || !TryDigits(text.Slice(i + 4, 2), out int om)
                || oh > 23 || om > 59)
            {
                return false;
            }

            offset = new TimeSpan(oh, om, 0);
            if (sign == '-')
            {
                offset = -offset;
            }

            i += 6;
        }
        else
        {
            return false;
        }

        if (i != text.Length
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // 0001-01-01T00:00:00+01:00 and similar fall outside DateTimeOffset's range.
            return false;
        }
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}
