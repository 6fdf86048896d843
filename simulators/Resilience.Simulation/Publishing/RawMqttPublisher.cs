using System.Net.Sockets;

namespace Resilience.Simulation.Publishing;

/// <summary>
/// A minimal MQTT 3.1.1 publisher over one TCP connection (QoS 0 or 1): CONNECT with a clean session, buffered
/// PUBLISH writes, a reader counting PUBACKs with at most <see cref="MaxInFlight"/> unacknowledged messages, and
/// DISCONNECT on dispose. It exists only until the project's MQTT client lands (see <see cref="ITelemetryPublisher"/>).
/// </summary>
public sealed class RawMqttPublisher : ITelemetryPublisher
{
    /// <summary>Unacknowledged QoS 1 messages allowed at once (well under the 65535 packet ids).</summary>
    public const int MaxInFlight = 1000;

    private readonly Socket _socket;
    private readonly int _qos;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _buffered;
    private ushort _packetId;
    private long _acked;

    private RawMqttPublisher(Socket socket, int qos)
    {
        _socket = socket;
        _qos = qos;
    }

    /// <inheritdoc />
    public long Sent { get; private set; }

    /// <summary>QoS 1 acknowledgements received.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Connects and waits for a successful CONNACK.</summary>
    public static Task<RawMqttPublisher> ConnectAsync(string host, int port, string clientId, int qos, CancellationToken cancellationToken)
        => ConnectAsync(host, port, clientId, null, null, qos, cancellationToken);

    /// <summary>Connects with a user name and password (either may be null) and waits for a successful CONNACK.</summary>
    public static async Task<RawMqttPublisher> ConnectAsync(string host, int port, string clientId, string? userName, string? password, int qos, CancellationToken cancellationToken)
    {
        if (qos is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), "QoS 0 or 1.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            await socket.SendAsync(MqttPackets.Connect(clientId, userName, password), SocketFlags.None, cancellationToken);
            byte[] connack = new byte[4];
            int read = 0;
            while (read < 4)
            {
                int n = await socket.ReceiveAsync(connack.AsMemory(read), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    throw new IOException("The broker closed the connection before CONNACK.");
                }

                read += n;
            }

            if (connack[0] != 0x20 || connack[1] != 0x02 || connack[3] != 0)
            {
                throw new IOException($"The broker refused the connection (CONNACK return code {connack[3]}).");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var publisher = new RawMqttPublisher(socket, qos);
        publisher._reader = publisher.ReadAsync();
        return publisher;
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        int size = MqttPackets.PublishSize(topic.Length, payload.Length, _qos);
        if (_qos > 0)
        {
            await _inFlight.WaitAsync(cancellationToken);
            _packetId = _packetId == ushort.MaxValue ? (ushort)1 : (ushort)(_packetId + 1);
        }

        if (size > _buffer.Length - _buffered)
        {
            await FlushAsync(cancellationToken);
        }

        if (size > _buffer.Length)
        {
            byte[] big = new byte[size];
            MqttPackets.WritePublish(big, topic.Span, payload.Span, _qos, retain, _packetId, out _);
            await SendAllAsync(big, cancellationToken);
        }
        else
        {
            _buffered += MqttPackets.WritePublish(_buffer.AsSpan(_buffered), topic.Span, payload.Span, _qos, retain, _packetId, out _);
        }

        Sent++;
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0)
        {
            int n = _buffered;
            _buffered = 0;
            await SendAllAsync(_buffer.AsMemory(0, n), cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        while (_qos > 0 && Acked < Sent)
        {
            if (_reader.IsCompleted)
            {
                throw new IOException($"The connection closed with {Sent - Acked} messages unacknowledged.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None);
            await _socket.SendAsync(MqttPackets.Disconnect.ToArray(), SocketFlags.None);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }

        await _stop.CancelAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or SocketException or IOException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
        _inFlight.Dispose();
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int n = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[n..];
        }
    }

    private async Task ReadAsync()
    {
        // Only PUBACK (0x40) is expected; anything else is skipped by its remaining length.
        byte[] buffer = new byte[16 * 1024];
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                end += n;
                while (TryReadPacket(buffer.AsSpan(start, end - start), out byte header, out int length))
                {
                    if ((header & 0xF0) == 0x40)
                    {
                        Interlocked.Increment(ref _acked);
                        _inFlight.Release();
                    }

                    start += length;
                }

                Array.Copy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static bool TryReadPacket(ReadOnlySpan<byte> data, out byte header, out int length)
    {
        header = 0;
        length = 0;
        if (data.Length < 2)
        {
            return false;
        }

        header = data[0];
        int remaining = 0;
        int i = 1;
        for (int shift = 0; ; shift += 7)
        {
            if (i >= data.Length || i > 4)
            {
                return false;
            }

            byte b = data[i++];
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        length = i + remaining;
        return data.Length >= length;
    }
}
