using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;
using static Resilience.IntegrationTests.MqttClient.MqttClientTestHelpers;
using Client = Resilience.Ingest.Mqtt.Client.MqttClient;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>Acknowledgement flows checked byte by byte against a scripted broker (MQTT 3.1.1 wire format).</summary>
[Trait("Category", "Integration")]
public sealed class MqttClientFlowTests
{
    private static readonly byte[] s_connAckSessionPresent = [0x20, 0x02, 0x01, 0x00];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MqttClientOptions Options(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = "flow",
        CleanStart = false,
        ProtocolVersion = MqttProtocolVersion.V311,
        KeepAliveSeconds = 0,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    private static byte[] Publish(byte header, ushort id, string topic, string payload)
    {
        var bytes = new List<byte> { header, (byte)(2 + topic.Length + 2 + payload.Length), 0, (byte)topic.Length };
        bytes.AddRange(Bytes(topic));
        bytes.Add((byte)(id >> 8));
        bytes.Add((byte)id);
        bytes.AddRange(Bytes(payload));
        return [.. bytes];
    }

    private static async Task<(Client Client, FakeMqttBroker.Peer Peer)> ConnectAsync(FakeMqttBroker broker)
    {
        var client = new Client(Options(broker.Port));
        Task<bool> connecting = client.ConnectAsync(Ct);
        FakeMqttBroker.Peer peer = await broker.AcceptAsync(Ct);
        (byte header, _) = await peer.ReadAsync(Ct);
        header.Should().Be(0x10, "CONNECT comes first");
        await peer.SendAsync(s_connAckSessionPresent, Ct);
        (await connecting).Should().BeTrue();
        return (client, peer);
    }

    [Fact]
    public async Task InboundQos2_DuplicateBeforePubRel_DeliveredOnce()
    {
        using var broker = new FakeMqttBroker();
        (Client client, FakeMqttBroker.Peer peer) = await ConnectAsync(broker);
        await using Client _ = client;
        using FakeMqttBroker.Peer __ = peer;

        await peer.SendAsync(Publish(0x34, 7, "t", "first"), Ct);
        await peer.SendAsync(Publish(0x3C, 7, "t", "first"), Ct); // DUP resend before PUBREL
        (await peer.ReadAsync(Ct)).Should().BeEquivalentTo(((byte)0x50, new byte[] { 0, 7 }));
        (await peer.ReadAsync(Ct)).Should().BeEquivalentTo(((byte)0x50, new byte[] { 0, 7 }));
        await peer.SendAsync([0x62, 0x02, 0x00, 0x07], Ct);
        (await peer.ReadAsync(Ct)).Should().BeEquivalentTo(((byte)0x70, new byte[] { 0, 7 }));
        await peer.SendAsync(Publish(0x34, 7, "t", "second"), Ct); // id reused after PUBCOMP: a new message

        List<MqttReceivedMessage> got = await ReadAsync(client, 2);
        got.Select(Text).Should().Equal("first", "second");
        client.ReceivedCount.Should().Be(2);
    }

    [Fact]
    public async Task OutboundQos1_ConnectionCutBeforePubAck_ResentWithDupAfterReconnect()
    {
        using var broker = new FakeMqttBroker();
        (Client client, FakeMqttBroker.Peer peer) = await ConnectAsync(broker);
        await using Client _ = client;

        ValueTask publishing = client.PublishAsync("q1", Bytes("payload"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        (byte header, byte[] body) = await peer.ReadAsync(Ct);
        header.Should().Be(0x32);
        peer.Dispose(); // cut before PUBACK

        using FakeMqttBroker.Peer second = await broker.AcceptAsync(Ct);
        (await second.ReadAsync(Ct)).Header.Should().Be(0x10);
        await second.SendAsync(s_connAckSessionPresent, Ct);
        (byte again, byte[] againBody) = await second.ReadAsync(Ct);
        again.Should().Be(0x3A, "the resend carries DUP");
        againBody.Should().Equal(body, "same packet id, topic and payload");
        publishing.IsCompleted.Should().BeFalse("not acknowledged yet");

        await second.SendAsync([0x40, 0x02, body[4], body[5]], Ct);
        await publishing.AsTask().WaitAsync(Deadline, Ct);
        client.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task OutboundQos2_CutAfterPubRec_ResendsPubRelNotPublish()
    {
        using var broker = new FakeMqttBroker();
        (Client client, FakeMqttBroker.Peer peer) = await ConnectAsync(broker);
        await using Client _ = client;

        ValueTask publishing = client.PublishAsync("q2", Bytes("once"), MqttQualityOfService.ExactlyOnce, cancellationToken: Ct);
        (byte header, byte[] body) = await peer.ReadAsync(Ct);
        header.Should().Be(0x34);
        byte[] id = [body[4], body[5]];
        await peer.SendAsync([0x50, 0x02, id[0], id[1]], Ct);
        (await peer.ReadAsync(Ct)).Should().BeEquivalentTo(((byte)0x62, id));
        peer.Dispose(); // cut before PUBCOMP

        using FakeMqttBroker.Peer second = await broker.AcceptAsync(Ct);
        (await second.ReadAsync(Ct)).Header.Should().Be(0x10);
        await second.SendAsync(s_connAckSessionPresent, Ct);
        (await second.ReadAsync(Ct)).Should().BeEquivalentTo(((byte)0x62, id), "past PUBREC only PUBREL is resent");
        await second.SendAsync([0x70, 0x02, id[0], id[1]], Ct);

        await publishing.AsTask().WaitAsync(Deadline, Ct);
        client.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_WindowFull_WaitsForAFreeSlot()
    {
        using var broker = new FakeMqttBroker();
        MqttClientOptions o = Options(broker.Port);
        o.MaxInFlight = 2;
        await using var client = new Client(o);
        Task<bool> connecting = client.ConnectAsync(Ct);
        using FakeMqttBroker.Peer peer = await broker.AcceptAsync(Ct);
        await peer.ReadAsync(Ct);
        await peer.SendAsync(s_connAckSessionPresent, Ct);
        await connecting;

        ValueTask p1 = client.PublishAsync("w", Bytes("1"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        ValueTask p2 = client.PublishAsync("w", Bytes("2"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        ValueTask p3 = client.PublishAsync("w", Bytes("3"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        (byte _, byte[] b1) = await peer.ReadAsync(Ct);
        await peer.ReadAsync(Ct);
        client.InFlight.Should().Be(2);
        p3.IsCompleted.Should().BeFalse();

        await peer.SendAsync([0x40, 0x02, b1[3], b1[4]], Ct);
        (byte h3, byte[] b3) = await peer.ReadAsync(Ct);
        h3.Should().Be(0x32, "the third publish went out once a slot was free");
        b3[^1].Should().Be((byte)'3');
        await p1.AsTask().WaitAsync(Deadline, Ct);
        p2.IsCompleted.Should().BeFalse();
    }
}
