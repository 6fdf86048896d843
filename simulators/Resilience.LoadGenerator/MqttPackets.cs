using System.Buffers.Binary;

namespace Resilience.LoadGenerator;

/// <summary>
/// The few MQTT 3.1.1 packets the load generator's raw publisher needs (OASIS MQTT 3.1.1 §2, §3.1, §3.3, §3.14).
/// The load generator keeps this minimal encoder, rather than a full client, because it must out-run the system it
/// measures: ./bench.sh reports both publish rates side by side (docs/architecture.md, "Benchmarks").
/// </summary>
internal static class MqttPackets
{
    /// <summary>DISCONNECT.</summary>
    public static ReadOnlySpan<byte> Disconnect => [0xE0, 0x00];

    /// <summary>
    /// A CONNECT with a clean session and keep-alive 600 s (we publish or leave; 600 is the embedded broker's maximum,
    /// and mosquitto with max_keepalive refuses a 3.1.1 keep-alive of 0), with a user name and password when given
    /// (a password needs a user name in 3.1.1).
    /// </summary>
    public static byte[] Connect(string clientId, string? userName = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (password is not null && userName is null)
        {
            throw new ArgumentException("MQTT 3.1.1 does not allow a password without a user name.", nameof(password));
        }

        byte[] id = System.Text.Encoding.UTF8.GetBytes(clientId);
        byte[]? user = userName is null ? null : System.Text.Encoding.UTF8.GetBytes(userName);
        byte[]? pass = password is null ? null : System.Text.Encoding.UTF8.GetBytes(password);
        int remaining = 10 + 2 + id.Length + (user is null ? 0 : 2 + user.Length) + (pass is null ? 0 : 2 + pass.Length);
        byte[] packet = new byte[1 + RemainingLengthSize(remaining) + remaining];
        int i = 0;
        packet[i++] = 0x10;
        i += WriteRemainingLength(packet.AsSpan(i), remaining);
        byte flags = (byte)(0x02 | (user is null ? 0 : 0x80) | (pass is null ? 0 : 0x40));
        ReadOnlySpan<byte> header = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, flags, 0x02, 0x58];
        header.CopyTo(packet.AsSpan(i));
        i += header.Length;
        foreach (byte[]? field in (byte[]?[])[id, user, pass])
        {
            if (field is not null)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(i), (ushort)field.Length);
                field.CopyTo(packet.AsSpan(i + 2));
                i += 2 + field.Length;
            }
        }

        return packet;
    }

    /// <summary>The size of a PUBLISH packet.</summary>
    public static int PublishSize(int topicLength, int payloadLength, int qos)
    {
        int remaining = PublishRemaining(topicLength, payloadLength, qos);
        return 1 + RemainingLengthSize(remaining) + remaining;
    }

    /// <summary>
    /// Writes a PUBLISH into <paramref name="destination"/>; returns its length. <paramref name="packetIdOffset"/>
    /// is where the packet id sits (QoS 1), so pre-encoded templates can patch it; −1 at QoS 0.
    /// </summary>
    public static int WritePublish(Span<byte> destination, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, int qos, bool retain, ushort packetId, out int packetIdOffset)
    {
        int remaining = PublishRemaining(topic.Length, payload.Length, qos);
        int i = 0;
        destination[i++] = (byte)(0x30 | (qos << 1) | (retain ? 1 : 0));
        i += WriteRemainingLength(destination[i..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(destination[i..], (ushort)topic.Length);
        i += 2;
        topic.CopyTo(destination[i..]);
        i += topic.Length;
        packetIdOffset = -1;
        if (qos > 0)
        {
            packetIdOffset = i;
            BinaryPrimitives.WriteUInt16BigEndian(destination[i..], packetId);
            i += 2;
        }

        payload.CopyTo(destination[i..]);
        return i + payload.Length;
    }

    private static int PublishRemaining(int topicLength, int payloadLength, int qos) => 2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength;

    private static int RemainingLengthSize(int length) => length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;

    private static int WriteRemainingLength(Span<byte> destination, int length)
    {
        int i = 0;
        do
        {
            byte b = (byte)(length % 128);
            length /= 128;
            if (length > 0)
            {
                b |= 0x80;
            }

            destination[i++] = b;
        }
        while (length > 0);
        return i;
    }
}
