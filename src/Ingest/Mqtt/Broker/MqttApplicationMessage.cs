using System.Text;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>A message the broker keeps beyond the publisher's read buffer (queued, in flight or retained). Immutable.</summary>
internal sealed class MqttApplicationMessage
{
    private string? _topicString;

    public MqttApplicationMessage(byte[] topic, byte[] payload, MqttQualityOfService qos, bool retain, byte[]? properties, string? originClientId, long expiresAt = long.MaxValue, int expiryValueOffset = -1)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Properties = properties;
        OriginClientId = originClientId;
        ExpiresAt = expiresAt;
        ExpiryValueOffset = expiryValueOffset;
    }

    /// <summary>
    /// When the Message Expiry Interval runs out, as a <see cref="TimeProvider.GetTimestamp"/> value;
    /// <see cref="long.MaxValue"/> when the message does not expire.
    /// </summary>
    public long ExpiresAt { get; }

    /// <summary>Offset in <see cref="Properties"/> of the expiry's four-byte value (rewritten with the time left on sending); -1 when absent.</summary>
    public int ExpiryValueOffset { get; }

    public bool CanExpire => ExpiresAt != long.MaxValue;

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
