using System.Buffers;
using System.Net.Sockets;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>A bare TCP client speaking MQTT through the project's codec: for byte-exact and misbehaving clients.</summary>
internal sealed class RawMqttClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _filled;

    private RawMqttClient(TcpClient tcp, MqttProtocolVersion version)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Version = version;
    }

    public MqttProtocolVersion Version { get; }

    public static async Task<RawMqttClient> ConnectTcpAsync(int port, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        return new RawMqttClient(tcp, version);
    }

    /// <summary>Connects and completes CONNECT/CONNACK; returns the CONNACK.</summary>
    public static async Task<(RawMqttClient Client, MqttConnAckPacket ConnAck)> ConnectAsync(int port, MqttConnectPacket connect)
    {
        RawMqttClient client = await ConnectTcpAsync(port, connect.ProtocolVersion);
        await client.SendAsync(w => MqttPacketEncoder.WriteConnect(w, connect));
        object packet = await client.ReceiveAsync();
        return (client, (MqttConnAckPacket)packet);
    }

    public async Task SendAsync(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        await SendRawAsync(writer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes, TestContext.Current.CancellationToken);

    public Task SubscribeAsync(ushort packetId, string filter, MqttQualityOfService qos)
        => SendAsync(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = packetId, Subscriptions = [new MqttSubscription { Filter = filter, Qos = qos }] }, Version));

    public Task PublishAsync(string topic, string payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, ushort packetId = 0, bool retain = false)
        => SendAsync(w => MqttPacketEncoder.WritePublish(w, Version, System.Text.Encoding.UTF8.GetBytes(topic), System.Text.Encoding.UTF8.GetBytes(payload), qos, retain, false, packetId));

    /// <summary>Reads the next packet (decoded; PUBLISH as a copy-safe tuple of strings) or throws on close/timeout.</summary>
    public async Task<object> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? Poll.Deadline);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
            if (MqttFrameReader.TryRead(ref sequence, out MqttFrame frame))
            {
                object packet = MqttPacketDecoder.Decode(frame, Version);
                if (packet is MqttPublishPacket p)
                {
                    MqttProperties? properties = p.Properties.IsEmpty ? null : MqttProperties.Parse(p.Properties.Span, MqttPropertyContext.Publish);
                    packet = new ReceivedPublish(System.Text.Encoding.UTF8.GetString(p.Topic.Span), System.Text.Encoding.UTF8.GetString(p.Payload.Span), p.Qos, p.Retain, p.Dup, p.PacketId, properties);
                }

                int consumed = frame.Length;
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _filled - consumed);
                _filled -= consumed;
                return packet;
            }

            int n = await _stream.ReadAsync(_buffer.AsMemory(_filled), cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException("The broker closed the connection.");
            }

            _filled += n;
        }
    }

    /// <summary>Waits until the broker closes the connection (reading and discarding anything before).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        try
        {
            while (true)
            {
                await ReceiveAsync(timeout);
            }
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads packets until the connection closes; returns the last one (e.g. the broker's DISCONNECT).</summary>
    public async Task<object?> LastPacketBeforeCloseAsync()
    {
        object? last = null;
        try
        {
            while (true)
            {
                last = await ReceiveAsync();
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (IOException)
        {
        }

        return last;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
