namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>The will message carried in CONNECT.</summary>
public sealed class MqttWillMessage
{
    /// <summary>Will topic (a topic name, no wildcards).</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Will payload.</summary>
    public byte[] Payload { get; set; } = [];

    /// <summary>Will QoS.</summary>
    public MqttQualityOfService Qos { get; set; }

    /// <summary>Will retain flag.</summary>
    public bool Retain { get; set; }

    /// <summary>v5 will properties (will delay, expiry…), or null.</summary>
    public MqttProperties? Properties { get; set; }
}
