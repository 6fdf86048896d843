namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>An MQTT 5.0 user property (a UTF-8 name/value pair).</summary>
/// <param name="Name">The name.</param>
/// <param name="Value">The value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
