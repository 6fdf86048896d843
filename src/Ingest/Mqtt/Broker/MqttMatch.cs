namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>A subscriber a message goes to, with the QoS granted for this delivery.</summary>
internal struct MqttMatch
{
    public MqttMatch(MqttSubscriber subscriber, MqttQualityOfService qos)
    {
        Subscriber = subscriber;
        Qos = qos;
    }

    public MqttSubscriber Subscriber { get; }

    public MqttQualityOfService Qos { get; set; }
}
