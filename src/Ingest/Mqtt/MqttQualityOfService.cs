namespace Resilience.Ingest.Mqtt;

/// <summary>MQTT delivery guarantee (MQTT 3.1.1 §4.3, MQTT 5.0 §4.3).</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: fire and forget.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged with PUBACK; may be duplicated.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: four-step handshake; delivered exactly once.</summary>
    ExactlyOnce = 2,
}
