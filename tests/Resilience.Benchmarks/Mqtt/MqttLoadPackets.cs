using System.Buffers;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Benchmarks.Mqtt;

/// <summary>Pre-encoded packets for the MQTT benchmarks.</summary>
internal static class MqttLoadPackets
{
    /// <summary>A QoS 0 PUBLISH of exactly <paramref name="totalSize"/> bytes on the wire (JSON-like payload padded with spaces).</summary>
    public static byte[] Publish(string topic, MqttProtocolVersion version, int totalSize)
    {
        byte[] topicBytes = Encoding.UTF8.GetBytes(topic);
        int fixedPart = 2 + 2 + topicBytes.Length + (version == MqttProtocolVersion.V500 ? 1 : 0);
        int payloadLength = totalSize - fixedPart;
        if (payloadLength < 0 || totalSize - 2 > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSize));
        }

        byte[] payload = new byte[payloadLength];
        payload.AsSpan().Fill((byte)' ');
        ReadOnlySpan<byte> json = "{\"seq\":1,\"values\":{\"water_level\":2.31}}"u8;
        json.Slice(0, Math.Min(json.Length, payloadLength)).CopyTo(payload);
        var writer = new ArrayBufferWriter<byte>(totalSize);
        MqttPacketEncoder.WritePublish(writer, version, topicBytes, payload, MqttQualityOfService.AtMostOnce, false, false, 0);
        if (writer.WrittenCount != totalSize)
        {
            throw new InvalidOperationException($"Encoded {writer.WrittenCount} bytes, expected {totalSize}.");
        }

        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Connect(string clientId, string? userName = null, string? password = null)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.WriteConnect(writer, new MqttConnectPacket
        {
            ClientId = clientId,
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanStart = true,
            KeepAliveSeconds = 600,
            UserName = userName,
            Password = password is null ? null : System.Text.Encoding.UTF8.GetBytes(password),
        });
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Subscribe(string filter)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.WriteSubscribe(writer, new MqttSubscribePacket { PacketId = 1, Subscriptions = [new MqttSubscription { Filter = filter }] }, MqttProtocolVersion.V311);
        return writer.WrittenSpan.ToArray();
    }
}
