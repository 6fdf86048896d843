using System.Diagnostics;
using System.Net.Sockets;

namespace Resilience.LoadGenerator;

/// <summary>
/// One raw MQTT connection pushing its share of the sensors' messages in 64 KiB batches at a paced rate: pre-encoded
/// PUBLISH packets patched in place, one socket write per batch. This is what lets the load generator out-run the
/// broker it measures; <see cref="MqttNetLoadConnection"/> is the same load through the MQTTnet client, for comparison.
/// </summary>
internal sealed class LoadConnection : ILoadConnection
{
    private const int BatchBytes = 64 * 1024;
    private const int MaxInFlight = 30_000; // < 65535 packet ids

    private readonly LoadTemplate[] _templates;
    private readonly int _qos;
    private readonly byte[] _batch = new byte[BatchBytes];
    private long _acked;

    public LoadConnection(LoadTemplate[] templates, int qos)
    {
        _templates = templates;
        _qos = qos;
    }

    public long Sent { get; private set; }

    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>From CONNACK to the last write (QoS 0) or the last acknowledgement (QoS 1).</summary>
    public TimeSpan ActiveTime { get; private set; }

    /// <summary>Sends until <paramref name="duration"/> passes or <paramref name="maxMessages"/> are sent; <paramref name="rate"/> ≤ 0 = unpaced.</summary>
    public async Task RunAsync(LoadTarget target, string clientId, double rate, TimeSpan duration, long maxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = false, SendBufferSize = 1 << 20 };
        await socket.ConnectAsync(target.Host, target.Port, cancellationToken);
        await socket.SendAsync(MqttPackets.Connect(clientId, target.Username, target.Password), SocketFlags.None, cancellationToken);
        byte[] connack = new byte[4];
        int got = 0;
        while (got < 4)
        {
            int n = await socket.ReceiveAsync(connack.AsMemory(got), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new IOException("The broker closed the connection before CONNACK.");
            }

            got += n;
        }

        if (connack[3] != 0)
        {
            throw new IOException($"CONNACK return code {connack[3]}.");
        }

        using var stopReader = new CancellationTokenSource();
        Task reader = _qos > 0 ? CountAcksAsync(socket, stopReader.Token) : Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        try
        {
            await SendLoopAsync(socket, clock, rate, duration, maxMessages, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside (Ctrl-C, SIGTERM): report what was sent.
        }

        if (_qos > 0)
        {
            var wait = Stopwatch.StartNew();
            while (Acked < Sent && wait.Elapsed < TimeSpan.FromSeconds(30) && !reader.IsCompleted)
            {
                await Task.Delay(5, CancellationToken.None);
            }
        }

        ActiveTime = clock.Elapsed;
        await socket.SendAsync(MqttPackets.Disconnect.ToArray(), SocketFlags.None, CancellationToken.None);
        socket.Shutdown(SocketShutdown.Send);
        await stopReader.CancelAsync();
        try
        {
            await reader;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendLoopAsync(Socket socket, Stopwatch clock, double rate, TimeSpan duration, long maxMessages, CancellationToken cancellationToken)
    {
        int next = 0;
        while (Sent < maxMessages && clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            long allowed = maxMessages - Sent;
            if (rate > 0)
            {
                allowed = Math.Min(allowed, (long)(clock.Elapsed.TotalSeconds * rate) - Sent);
            }

            if (_qos > 0)
            {
                allowed = Math.Min(allowed, MaxInFlight - (Sent - Acked));
            }

            if (allowed <= 0)
            {
                await Task.Delay(1, cancellationToken);
                continue;
            }

            long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            int used = 0;
            int count = 0;
            while (count < allowed)
            {
                LoadTemplate t = _templates[next];
                if (used + t.Packet.Length > BatchBytes)
                {
                    break;
                }

                Span<byte> packet = _batch.AsSpan(used, t.Packet.Length);
                t.Packet.CopyTo(packet);
                LoadPatcher.Next(t, packet, nowMs, Sent + count);
                used += t.Packet.Length;
                count++;
                next = next + 1 == _templates.Length ? 0 : next + 1;
            }

            ReadOnlyMemory<byte> data = _batch.AsMemory(0, used);
            while (!data.IsEmpty)
            {
                int n = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[n..];
            }

            Sent += count;
        }
    }

    private async Task CountAcksAsync(Socket socket, CancellationToken cancellationToken)
    {
        // PUBACK is always 4 bytes (0x40 0x02 id id); the broker sends nothing else to a publisher.
        byte[] buffer = new byte[64 * 1024];
        int carry = 0;
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(carry), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    return;
                }

                int total = carry + n;
                int whole = total / 4;
                Interlocked.Add(ref _acked, whole);
                carry = total - (whole * 4);
                Array.Copy(buffer, whole * 4, buffer, 0, carry);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
