namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Where an outbound QoS 1/2 message is in its handshake.</summary>
internal enum MqttInflightState : byte
{
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}
