namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>The protocol level byte of CONNECT.</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1 (protocol name "MQIsdp"); handled with 3.1.1 rules.</summary>
    V310 = 3,

    /// <summary>MQTT 3.1.1.</summary>
    V311 = 4,

    /// <summary>MQTT 5.0.</summary>
    V500 = 5,
}
