using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>A PUBLISH received by <see cref="RawMqttClient"/>, copied out of the receive buffer.</summary>
internal sealed record ReceivedPublish(string Topic, string Payload, MqttQualityOfService Qos, bool Retain, bool Dup, ushort PacketId, MqttProperties? Properties = null);
