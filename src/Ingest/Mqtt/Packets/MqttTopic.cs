namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>Topic name and topic filter rules (MQTT 5.0 §4.7).</summary>
public static class MqttTopic
{
    /// <summary>True when a topic name contains no wildcard characters.</summary>
    public static bool IsValidName(ReadOnlySpan<byte> topic) => topic.IndexOfAny((byte)'+', (byte)'#') < 0;

    /// <summary>True when a topic name contains no wildcard characters.</summary>
    public static bool IsValidName(ReadOnlySpan<char> topic) => topic.Length > 0 && topic.IndexOfAny('+', '#') < 0;

    /// <summary>
    /// True when a filter is non-empty, '#' appears only as the whole last level, and '+' only as a whole level.
    /// A <c>$share/{group}/{filter}</c> prefix is checked as a group name without wildcards and a valid filter.
    /// </summary>
    public static bool IsValidFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty)
        {
            return false;
        }

        int length = filter.Length;
        for (int i = 0; i < length; i++)
        {
            char c = filter[i];
            if (c == '#')
            {
                bool levelStart = i == 0 || filter[i - 1] == '/';
                if (!levelStart || i != length - 1)
                {
                    return false;
                }
            }
            else if (c == '+')
            {
                bool levelStart = i == 0 || filter[i - 1] == '/';
                bool levelEnd = i == length - 1 || filter[i + 1] == '/';
                if (!levelStart || !levelEnd)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Splits a shared subscription <c>$share/{group}/{filter}</c>; false when <paramref name="filter"/> is not one.
    /// A malformed share (empty group, wildcard in the group, no filter) yields true with an empty group.
    /// </summary>
    public static bool TrySplitShared(string filter, out string group, out string innerFilter)
    {
        group = string.Empty;
        innerFilter = string.Empty;
        if (!filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            return false;
        }

        int slash = filter.IndexOf('/', 7);
        if (slash <= 7 || slash == filter.Length - 1)
        {
            return true;
        }

        string g = filter.Substring(7, slash - 7);
        if (g.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            return true;
        }

        group = g;
        innerFilter = filter.Substring(slash + 1);
        return true;
    }
}
