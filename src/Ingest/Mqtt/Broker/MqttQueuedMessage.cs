namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// A message queued for one session, with the QoS and flags of that delivery and the subscription it matched
/// (null for none): a message whose subscription was removed before it was sent is not sent (MQTT 5.0 §3.10.4).
/// </summary>
internal readonly record struct MqttQueuedMessage(MqttApplicationMessage Message, MqttQualityOfService Qos, bool Retain, int SubscriptionId, MqttSubscriber? Subscriber = null);
