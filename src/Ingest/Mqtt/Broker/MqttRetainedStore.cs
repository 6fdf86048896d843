namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Retained messages by topic (MQTT 5.0 §3.3.1.3). An empty payload deletes the topic's message. Bounded by a
/// message count and a byte total: a message that would exceed either is not retained (it is still delivered).
/// </summary>
internal sealed class MqttRetainedStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttApplicationMessage> _messages = new(StringComparer.Ordinal);
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private long _bytes;

    public MqttRetainedStore(int maxMessages = int.MaxValue, long maxBytes = long.MaxValue)
    {
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>Topic, payload and property bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Stores, replaces or (empty payload) deletes; false when the limits refused a message.</summary>
    public bool Set(MqttApplicationMessage message)
    {
        string topic = message.TopicString;
        lock (_lock)
        {
            _messages.TryGetValue(topic, out MqttApplicationMessage? existing);
            long existingSize = existing is null ? 0 : SizeOf(existing);
            if (message.Payload.Length == 0)
            {
                if (existing is not null)
                {
                    _messages.Remove(topic);
                    _bytes -= existingSize;
                }

                return true;
            }

            long size = SizeOf(message);
            if ((existing is null && _messages.Count >= _maxMessages) || _bytes - existingSize + size > _maxBytes)
            {
                return false;
            }

            _messages[topic] = message;
            _bytes += size - existingSize;
            return true;
        }
    }

    /// <summary>Removes <paramref name="message"/> if it is still the topic's retained message (an expired one).</summary>
    public void Remove(MqttApplicationMessage message)
    {
        string topic = message.TopicString;
        lock (_lock)
        {
            if (_messages.TryGetValue(topic, out MqttApplicationMessage? current) && ReferenceEquals(current, message))
            {
                _messages.Remove(topic);
            }
        }
    }

    /// <summary>Retained messages whose topic matches <paramref name="filter"/>.</summary>
    public List<MqttApplicationMessage> Matching(string filter)
    {
        var result = new List<MqttApplicationMessage>();
        lock (_lock)
        {
            foreach (KeyValuePair<string, MqttApplicationMessage> entry in _messages)
            {
                if (MqttTopicMatcher.Matches(filter, entry.Key))
                {
                    result.Add(entry.Value);
                }
            }
        }

        return result;
    }

    internal static long SizeOf(MqttApplicationMessage message) => message.Topic.Length + message.Payload.Length + (message.Properties?.Length ?? 0);
}
