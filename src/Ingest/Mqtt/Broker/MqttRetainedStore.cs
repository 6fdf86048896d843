namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Retained messages by topic (MQTT 5.0 §3.3.1.3). An empty payload deletes the topic's message.</summary>
internal sealed class MqttRetainedStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttApplicationMessage> _messages = new(StringComparer.Ordinal);

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

    public void Set(MqttApplicationMessage message)
    {
        string topic = message.TopicString;
        lock (_lock)
        {
            if (message.Payload.Length == 0)
            {
                _messages.Remove(topic);
            }
            else
            {
                _messages[topic] = message;
            }
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
}
