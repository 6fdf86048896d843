using System.Text;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>A message the broker keeps beyond the publisher's read buffer (queued, in flight or retained). Immutable.</summary>
internal sealed class MqttApplicationMessage
{
    private string? _topicString;

    public MqttApplicationMessage(byte[] topic, byte[] payload, MqttQualityOfService qos, bool retain, byte[]? properties, string? originClientId)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Properties = properties;
        OriginClientId = originClientId;
    }

    /// <summary>UTF-8 topic.</summary>
    public byte[] Topic { get; }

    public byte[] Payload { get; }

    public MqttQualityOfService Qos { get; }

    public bool Retain { get; }

    /// <summary>v5 properties to forward (the publisher's, without its topic alias), or null.</summary>
    public byte[]? Properties { get; }

    /// <summary>Client id of the publisher (for No Local); null for in-process publishers.</summary>
    public string? OriginClientId { get; }

    public string TopicString => _topicString ??= Encoding.UTF8.GetString(Topic);
}
