namespace Resilience.Ingest.Mqtt.Client;

/// <summary>An application message received by <see cref="MqttClient"/>, copied out of the connection's buffers (owned by the reader).</summary>
public readonly struct MqttReceivedMessage
{
    /// <summary>Creates a message.</summary>
    public MqttReceivedMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, bool duplicate)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Duplicate = duplicate;
    }

    /// <summary>Topic name.</summary>
    public string Topic { get; }

    /// <summary>Payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>QoS the broker delivered it with.</summary>
    public MqttQualityOfService Qos { get; }

    /// <summary>True when it came from the broker's retained store (a new subscription).</summary>
    public bool Retain { get; }

    /// <summary>DUP flag: the broker may have sent it before (QoS 1 redelivery after a reconnect).</summary>
    public bool Duplicate { get; }
}
