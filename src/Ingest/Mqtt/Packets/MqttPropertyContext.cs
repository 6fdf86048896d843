namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>Where a property block sits; decides which identifiers are allowed (MQTT 5.0 §2.2.2.2).</summary>
internal enum MqttPropertyContext : byte
{
    Connect,
    ConnAck,
    Publish,
    Will,
    PubAck,
    Subscribe,
    SubAck,
    Unsubscribe,
    UnsubAck,
    Disconnect,
    Auth,
}
