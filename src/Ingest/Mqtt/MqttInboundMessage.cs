namespace Resilience.Ingest.Mqtt;

/// <summary>
/// One application message handed to an in-process consumer (the silo's ingest) by the embedded broker or
/// by the MQTT client. <see cref="TopicUtf8"/> and <see cref="Payload"/> may point into pooled buffers: they
/// are valid only until the handler's task completes, so a handler parses or copies them first.
/// </summary>
public readonly struct MqttInboundMessage
{
    /// <summary>Creates a message view.</summary>
    public MqttInboundMessage(ReadOnlyMemory<byte> topicUtf8, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, MqttAcknowledgement? acknowledgement = null)
    {
        TopicUtf8 = topicUtf8;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Acknowledgement = acknowledgement;
    }

    /// <summary>The topic name, UTF-8 encoded as on the wire.</summary>
    public ReadOnlyMemory<byte> TopicUtf8 { get; }

    /// <summary>The application payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The QoS the message was delivered with.</summary>
    public MqttQualityOfService Qos { get; }

    /// <summary>True when the message came from the retained store.</summary>
    public bool Retain { get; }

    /// <summary>
    /// For a QoS 1/2 message whose publisher waits for an acknowledgement: where the handler defers it until the
    /// message is durable. Null when nobody waits (QoS 0, or a message the broker's host published itself).
    /// </summary>
    public MqttAcknowledgement? Acknowledgement { get; }
}
