using System.Net;
using System.Net.Sockets;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>
/// A scripted broker on a loopback socket for the flows a real broker will not produce on demand
/// (a duplicate inbound QoS 2 PUBLISH, a connection cut before an acknowledgement, a silent PINGRESP).
/// </summary>
internal sealed class FakeMqttBroker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeMqttBroker()
    {
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<Peer> AcceptAsync(CancellationToken cancellationToken)
    {
        TcpClient client = await _listener.AcceptTcpClientAsync(cancellationToken).AsTask().WaitAsync(MqttClientTestHelpers.Deadline, cancellationToken);
        return new Peer(client);
    }

    public void Dispose() => _listener.Stop();

    internal sealed class Peer(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();

        /// <summary>Reads one packet: its first byte and its body.</summary>
        public async Task<(byte Header, byte[] Body)> ReadAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(MqttClientTestHelpers.Deadline);
            byte header = await ReadByteAsync(timeout.Token);
            int length = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = await ReadByteAsync(timeout.Token);
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, timeout.Token);
            return (header, body);
        }

        public async Task SendAsync(byte[] packet, CancellationToken cancellationToken) => await _stream.WriteAsync(packet, cancellationToken);

        public void Dispose() => client.Dispose();

        private async Task<byte> ReadByteAsync(CancellationToken cancellationToken)
        {
            var one = new byte[1];
            await _stream.ReadExactlyAsync(one, cancellationToken);
            return one[0];
        }
    }
}
