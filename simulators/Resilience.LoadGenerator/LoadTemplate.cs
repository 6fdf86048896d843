using System.Globalization;
using System.Text;

namespace Resilience.LoadGenerator;

/// <summary>
/// One sensor's pre-encoded PUBLISH packet. Numbers have fixed widths (right-aligned, padded with JSON
/// whitespace) so each message is a copy plus a few digit patches: <c>{"ts":…,"seq":…,"values":{"water_level":1.234}}</c>.
/// </summary>
internal sealed class LoadTemplate
{
    public const int SeqWidth = 12;
    public const int TsWidth = 13;

    public LoadTemplate(string topic, int qos, bool withTimestamp)
    {
        string ts = withTimestamp ? "\"ts\":" + new string('0', TsWidth) + "," : string.Empty;
        string payload = "{" + ts + "\"seq\":" + new string(' ', SeqWidth) + ",\"values\":{\"water_level\":1.000}}";
        byte[] topicBytes = Encoding.UTF8.GetBytes(topic);
        byte[] payloadBytes = Encoding.UTF8.GetBytes(payload);
        Packet = new byte[MqttPackets.PublishSize(topicBytes.Length, payloadBytes.Length, qos)];
        int length = MqttPackets.WritePublish(Packet, topicBytes, payloadBytes, qos, retain: false, packetId: 1, out int idOffset);
        if (length != Packet.Length)
        {
            throw new InvalidOperationException("PUBLISH size mismatch.");
        }

        PacketIdOffset = idOffset;
        TopicName = topic;
        int payloadStart = Packet.Length - payloadBytes.Length;
        PayloadOffset = payloadStart;
        TsOffset = withTimestamp ? payloadStart + payload.IndexOf("\"ts\":", StringComparison.Ordinal) + 5 : -1;
        SeqOffset = payloadStart + payload.IndexOf("\"seq\":", StringComparison.Ordinal) + 6;
        ValueOffset = payloadStart + payload.IndexOf("1.000", StringComparison.Ordinal);
    }

    public byte[] Packet { get; }

    public int PacketIdOffset { get; }

    /// <summary>The topic (for the MQTTnet publisher, which encodes its own packets).</summary>
    public string TopicName { get; }

    /// <summary>Where the payload starts in <see cref="Packet"/>.</summary>
    public int PayloadOffset { get; }

    public int TsOffset { get; }

    public int SeqOffset { get; }

    public int ValueOffset { get; }

    public long Seq { get; set; }

    public long LastTs { get; set; }

    public static string Topic(string province, string prefix, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"sensors/{province}/{prefix}-{index:D5}/telemetry");

    /// <summary>Writes <paramref name="value"/> right-aligned in <paramref name="width"/> bytes, padding with <paramref name="pad"/>.</summary>
    public static void WriteDigits(Span<byte> destination, long value, int width, byte pad)
    {
        int i = width - 1;
        do
        {
            destination[i--] = (byte)('0' + (value % 10));
            value /= 10;
        }
        while (value > 0 && i >= 0);

        while (i >= 0)
        {
            destination[i--] = pad;
        }
    }
}
