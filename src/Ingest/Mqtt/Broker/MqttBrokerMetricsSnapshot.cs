namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Broker counters at one moment, for <c>/metrics</c>.</summary>
/// <param name="Connections">Open network connections.</param>
/// <param name="Received">PUBLISH messages accepted from clients and in-process publishers.</param>
/// <param name="Delivered">Messages handed to subscribers (network writes and in-process handlers).</param>
/// <param name="Dropped">Messages not delivered because a session queue was full or a handler failed.</param>
/// <param name="Rejected">Connections, packets and publishes refused (protocol errors, auth, ACL, limits).</param>
public readonly record struct MqttBrokerMetricsSnapshot(long Connections, long Received, long Delivered, long Dropped, long Rejected);
