using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>The listener speaks TLS when a certificate is configured.</summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerTlsTests
{
    [Fact]
    public async Task Connect_OverTlsWithConfiguredCertificate_GetsConnAck()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("mqtt-tls");
        string pfx = Path.Combine(dir.Path, "broker.pfx");
        string thumbprint;
        using (RSA key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            thumbprint = cert.GetCertHashString();
            await File.WriteAllBytesAsync(pfx, cert.Export(X509ContentType.Pfx, "pw"), ct);
        }

        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:TlsCertificatePath"] = pfx,
            ["Resilience:Mqtt:Broker:TlsCertificatePassword"] = "pw",
        });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Port, ct);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => string.Equals(certificate?.GetCertHashString(), thumbprint, StringComparison.Ordinal));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, ct);
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.WriteConnect(writer, new MqttConnectPacket { ClientId = "tls", ProtocolVersion = MqttProtocolVersion.V500 });

        await ssl.WriteAsync(writer.WrittenMemory, ct);
        byte[] buffer = new byte[256];
        int n = 0;
        ReadOnlySequence<byte> sequence;
        MqttFrame frame;
        do
        {
            n += await ssl.ReadAsync(buffer.AsMemory(n), ct);
            sequence = new ReadOnlySequence<byte>(buffer, 0, n);
        }
        while (!MqttFrameReader.TryRead(ref sequence, out frame));

        frame.Type.Should().Be(MqttPacketType.ConnAck);
        MqttPacketDecoder.DecodeConnAck(frame.Body.FirstSpan, MqttProtocolVersion.V500).ReasonCode.Should().Be(0);
    }
}
