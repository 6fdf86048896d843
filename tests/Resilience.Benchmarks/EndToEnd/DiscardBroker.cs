using System.Net;
using System.Net.Sockets;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>
/// A sink that answers every CONNECT with a CONNACK and discards everything after it: the load generator's peak rate
/// with nothing behind it (QoS 0 only), to show it is not the bottleneck of the runs that measure the system.
/// </summary>
internal sealed class DiscardBroker : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bytes;

    private DiscardBroker(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public long Bytes => Interlocked.Read(ref _bytes);

    public static DiscardBroker Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new DiscardBroker(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = DrainAsync(socket);
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        using (socket)
        {
            byte[] buffer = new byte[256 * 1024];
            try
            {
                int first = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (first == 0)
                {
                    return;
                }

                await socket.SendAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, SocketFlags.None, _stop.Token);
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    Interlocked.Add(ref _bytes, n);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        }
    }
}
