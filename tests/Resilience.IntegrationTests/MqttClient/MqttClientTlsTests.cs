using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;
using static Resilience.IntegrationTests.MqttClient.MqttClientTestHelpers;
using Client = Resilience.Ingest.Mqtt.Client.MqttClient;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>The client over TLS to mosquitto with a self-signed certificate made by the test.</summary>
[Trait("Category", "Integration")]
public sealed class MqttClientTlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_TlsWithPinnedCertificate_RoundTrips_DefaultValidationRejectsSelfSigned()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        string certFile = Path.Combine(broker.Directory, "server.crt");
        string keyFile = Path.Combine(broker.Directory, "server.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem(), Ct);
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), Ct);
        int tlsPort = FreePort.Next();
        await broker.StopAsync();
        broker.ExtraConfig.Add($"listener {tlsPort} 127.0.0.1");
        broker.ExtraConfig.Add($"certfile {certFile}");
        broker.ExtraConfig.Add($"keyfile {keyFile}");
        await broker.StartAgainAsync();
        string thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);

        MqttClientOptions tls = Options(broker, MqttProtocolVersion.V500, "tls-client");
        tls.Port = tlsPort;
        tls.UseTls = true;
        tls.TlsTargetHost = "localhost";
        tls.ServerCertificateValidation = (_, cert, _, _) => cert is not null && cert.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint;
        await using Client client = await ConnectAsync(tls, Ct);
        await client.SubscribeAsync("tls/#", MqttQualityOfService.ExactlyOnce, Ct);
        await client.PublishAsync("tls/echo", Bytes("secret"), MqttQualityOfService.ExactlyOnce, cancellationToken: Ct);
        Text((await ReadAsync(client, 1))[0]).Should().Be("secret");

        MqttClientOptions untrusted = Options(broker, MqttProtocolVersion.V500, "tls-untrusted");
        untrusted.Port = tlsPort;
        untrusted.UseTls = true;
        untrusted.TlsTargetHost = "localhost";
        Func<Task> act = () => new Client(untrusted).ConnectAsync(Ct);
        await act.Should().ThrowAsync<AuthenticationException>();
    }
}
