namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Filter-against-topic matching with the <c>+</c>/<c>#</c> and <c>$</c>-topic rules (MQTT 5.0 §4.7).</summary>
internal static class MqttTopicMatcher
{
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        while (true)
        {
            int fs = filter.IndexOf('/');
            ReadOnlySpan<char> fLevel = fs < 0 ? filter : filter.Slice(0, fs);
            if (fLevel.Length == 1 && fLevel[0] == '#')
            {
                return true;
            }

            int ts = topic.IndexOf('/');
            ReadOnlySpan<char> tLevel = ts < 0 ? topic : topic.Slice(0, ts);
            bool levelMatches = (fLevel.Length == 1 && fLevel[0] == '+') || fLevel.SequenceEqual(tLevel);
            if (!levelMatches)
            {
                return false;
            }

            if (fs < 0 && ts < 0)
            {
                return true;
            }

            if (ts < 0)
            {
                // Topic ended; "a/#" still matches "a".
                ReadOnlySpan<char> rest = filter.Slice(fs + 1);
                return rest.Length == 1 && rest[0] == '#';
            }

            if (fs < 0)
            {
                return false;
            }

            filter = filter.Slice(fs + 1);
            topic = topic.Slice(ts + 1);
        }
    }
}
