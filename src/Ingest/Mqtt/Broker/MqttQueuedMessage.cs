namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>A message queued for one session, with the QoS and flags of that delivery.</summary>
internal readonly record struct MqttQueuedMessage(MqttApplicationMessage Message, MqttQualityOfService Qos, bool Retain, int SubscriptionId);
