using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// The broker against normative statements of MQTT 3.1.1 and 5.0 it used to miss, over real sockets with a
/// packet-level client (some of these tests must send what a well-behaved client never would).
/// </summary>
public sealed class MqttBrokerConformanceTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion V311 = MqttProtocolVersion.V311;

    [Fact]
    public async Task Mqtt31_EmptyClientId_IsRefusedWithIdentifierRejected()
    {
        // MQTT 3.1 §3.1: the client identifier is 1 to 23 characters; CONNACK return code 2 = identifier rejected.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using RawMqttClient client = await RawMqttClient.ConnectTcpAsync(host.Port, MqttProtocolVersion.V310);

        await client.SendRawAsync(Convert.FromHexString("100E" + "00064D5149736470" + "03" + "02" + "003C" + "0000"));

        (await client.ReceiveAsync()).Should().BeOfType<MqttConnAckPacket>().Which.ReasonCode.Should().Be(2);
        (await client.WaitForCloseAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task Mqtt31_ResumedSession_SessionPresentIsZero_ButTheSessionIsKept()
    {
        // MQTT 3.1 has no Session Present flag: the CONNACK's first byte is reserved, so it stays 0 (as mosquitto).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient first, MqttConnAckPacket ack1) = await RawMqttClient.ConnectAsync(host.Port, Connect("s31", MqttProtocolVersion.V310, clean: false));
        await using (first)
        {
            ack1.SessionPresent.Should().BeFalse();
            await first.SubscribeAsync(1, "s31/#", MqttQualityOfService.AtLeastOnce);
            (await first.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        }

        (RawMqttClient second, MqttConnAckPacket ack2) = await RawMqttClient.ConnectAsync(host.Port, Connect("s31", MqttProtocolVersion.V310, clean: false));
        await using RawMqttClient owned = second;

        ack2.SessionPresent.Should().BeFalse();
        await host.Broker.PublishAsync("s31/a", "kept"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, TestContext.Current.CancellationToken);
        (await second.ReceiveAsync()).Should().BeOfType<ReceivedPublish>().Which.Payload.Should().Be("kept");
    }

    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Takeover_OfASessionThatEndsWithItsConnection_IsNotPresentAndStartsEmpty(MqttProtocolVersion version)
    {
        // 3.1.1 [MQTT-3.1.2-6]: a Clean Session 1 session lasts as long as its network connection; 5.0
        // [MQTT-3.1.2-23]: with Session Expiry 0 the session ends when the connection closes. A takeover closes
        // it, so the new connection (Clean Start 0) finds no session: Session Present 0 ([MQTT-3.2.2-2]/[MQTT-3.2.2-3]).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient first, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("tk", version, clean: true));
        await using RawMqttClient ownedFirst = first;
        await first.SubscribeAsync(1, "tk/#", MqttQualityOfService.AtLeastOnce);
        (await first.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();

        (RawMqttClient second, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("tk", version, clean: false));
        await using RawMqttClient ownedSecond = second;

        ack.SessionPresent.Should().BeFalse();
        (await first.WaitForCloseAsync()).Should().BeTrue();
        await Poll.UntilAsync(() => !host.Broker.HasSubscribers("tk/a"), "the ended session's subscription to go");
    }

    [Theory]
    [InlineData(V311)]
    [InlineData(V5)]
    public async Task Takeover_OfAPersistentSession_IsPresent(MqttProtocolVersion version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        MqttProperties? expiry = version == V5 ? new MqttProperties { SessionExpiryInterval = 300 } : null;
        (RawMqttClient first, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("tp", version, clean: false, properties: expiry));
        await using RawMqttClient ownedFirst = first;

        (RawMqttClient second, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("tp", version, clean: false, properties: expiry));
        await using RawMqttClient ownedSecond = second;

        ack.SessionPresent.Should().BeTrue();
    }

    [Theory]
    [InlineData(60, (ushort)30)]
    [InlineData(0, (ushort)30)]
    [InlineData(10, null)]
    public async Task MaxKeepAlive_V5ClientAskingForMoreOrNone_GetsServerKeepAlive(int keepAlive, ushort? expected)
    {
        // [MQTT-3.2.2-21]: the client MUST use the Server Keep Alive the server sends instead of its own.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:MaxKeepAliveSeconds"] = "30" });

        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("ka", V5, keepAlive: (ushort)keepAlive));
        await using RawMqttClient owned = client;

        ack.ReasonCode.Should().Be(0);
        ack.Properties!.ServerKeepAlive.Should().Be(expected);
    }

    [Fact]
    public async Task MaxKeepAlive_V5ClientWithKeepAliveZero_IsHeldToTheServerKeepAlive()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:MaxKeepAliveSeconds"] = "1" });
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("ka0", V5, keepAlive: 0));
        await using RawMqttClient owned = client;
        ack.Properties!.ServerKeepAlive.Should().Be(1);

        object? last = await client.LastPacketBeforeCloseAsync();

        last.Should().BeOfType<MqttDisconnectPacket>().Which.ReasonCode.Should().Be(MqttReasonCode.KeepAliveTimeout);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(0)]
    public async Task MaxKeepAlive_Mqtt311ClientAskingForMoreOrNone_IsRefusedLikeMosquitto(int keepAlive)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:MaxKeepAliveSeconds"] = "30" });

        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("ka3", V311, keepAlive: (ushort)keepAlive));
        await using RawMqttClient owned = client;

        ack.ReasonCode.Should().Be(2);
        (await client.WaitForCloseAsync()).Should().BeTrue();
    }

    [Theory]
    [InlineData(null, 1_048_576u)]
    [InlineData("true", 1_048_576u)]
    [InlineData("false", null)]
    public async Task ConnAck_MaximumPacketSize_IsAdvertisedUnlessTurnedOff(string? setting, uint? expected)
    {
        var settings = new Dictionary<string, string?>();
        if (setting is not null)
        {
            settings["Resilience:Mqtt:Broker:AdvertiseMaximumPacketSize"] = setting;
        }

        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(settings);
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("mps", V5));
        await using RawMqttClient owned = client;

        ack.Properties!.MaximumPacketSize.Should().Be(expected);
    }

    [Theory]
    [InlineData("PUBREC")]
    [InlineData("PUBCOMP")]
    public async Task WrongAckForAQos1Delivery_ClosesTheConnectionWithProtocolError(string wrong)
    {
        // A QoS 1 delivery ends only with PUBACK ([MQTT-4.3.2-2]); PUBREC/PUBCOMP for it is a protocol violation,
        // and the server closes the connection [MQTT-4.13.1-1] (3.1.1 [MQTT-4.8.0-1]).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wa", V5));
        await using RawMqttClient owned = client;
        ushort id = await ReceiveOneDeliveryAsync(host, client, "wa/1", MqttQualityOfService.AtLeastOnce);

        MqttPacketType type = wrong == "PUBREC" ? MqttPacketType.PubRec : MqttPacketType.PubComp;
        await client.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(type, id), V5));

        (await client.LastPacketBeforeCloseAsync()).Should().BeOfType<MqttDisconnectPacket>().Which.ReasonCode.Should().Be(MqttReasonCode.ProtocolError);
    }

    [Theory]
    [InlineData("PUBACK")]
    [InlineData("PUBCOMP")]
    public async Task WrongAckForAQos2DeliveryAwaitingPubRec_ClosesTheConnection(string wrong)
    {
        // QoS 2: PUBLISH → PUBREC → PUBREL → PUBCOMP ([MQTT-4.3.3-3]..[MQTT-4.3.3-5]); a PUBACK, or a PUBCOMP before PUBREC, breaks the flow.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wq2", V311));
        await using RawMqttClient owned = client;
        ushort id = await ReceiveOneDeliveryAsync(host, client, "wq2/1", MqttQualityOfService.ExactlyOnce);

        MqttPacketType type = wrong == "PUBACK" ? MqttPacketType.PubAck : MqttPacketType.PubComp;
        await client.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(type, id), V311));

        (await client.WaitForCloseAsync()).Should().BeTrue();
        host.Logs.Entries.Select(e => e.Message).Should().Contain(m => m.Contains("in flight at another QoS or step", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownPacketIds_AreAnsweredOrIgnored_AndTheConnectionStays()
    {
        // [MQTT-4.3.3-11]: every PUBREL gets a PUBCOMP (0x92 for an unknown id, §3.7.2.1); a PUBREC for an unknown
        // id gets PUBREL 0x92 (§3.6.2.1); a late PUBACK for an unknown id is ignored (as mosquitto).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("uk", V5));
        await using RawMqttClient owned = client;

        await client.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubAck, 77), V5));
        await client.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubRel, 78), V5));
        await client.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubRec, 79), V5));

        MqttAckPacket comp = (MqttAckPacket)await client.ReceiveAsync();
        comp.Type.Should().Be(MqttPacketType.PubComp);
        comp.ReasonCode.Should().Be(MqttReasonCode.PacketIdentifierNotFound);
        MqttAckPacket rel = (MqttAckPacket)await client.ReceiveAsync();
        rel.Type.Should().Be(MqttPacketType.PubRel);
        rel.ReasonCode.Should().Be(MqttReasonCode.PacketIdentifierNotFound);
        await client.SendAsync(MqttPacketEncoder.WritePingReq);
        (await client.ReceiveAsync()).Should().Be(MqttPacketType.PingResp);
    }

    [Fact]
    public async Task SmallClientMaximumPacketSize_APublishOfExactlyThatSize_IsDelivered_OneByteMoreIsNot()
    {
        // [MQTT-3.1.2-24]: nothing above the client's Maximum Packet Size; [MQTT-3.1.2-25]: such a packet is
        // discarded. A packet of exactly the limit is legal and must arrive.
        const int Limit = 120;
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("mx", V5, properties: new MqttProperties { MaximumPacketSize = Limit }));
        await using RawMqttClient owned = client;
        await client.SubscribeAsync(1, "mx/#", MqttQualityOfService.AtMostOnce);
        (await client.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();

        // Topic "mx/a" (4) + 2 + property length (1) = 7 bytes of variable header; fixed header 2 bytes.
        int fits = Limit - 2 - 7;
        MqttPacketEncoder.GetPublishSize(V5, 4, fits, MqttQualityOfService.AtMostOnce).Should().Be(Limit);
        await host.Broker.PublishAsync("mx/a", new byte[fits + 1], MqttQualityOfService.AtMostOnce, false, TestContext.Current.CancellationToken);
        await host.Broker.PublishAsync("mx/a", new byte[fits], MqttQualityOfService.AtMostOnce, false, TestContext.Current.CancellationToken);

        ReceivedPublish received = (ReceivedPublish)await client.ReceiveAsync();
        received.Payload.Length.Should().Be(fits);
    }

    [Fact]
    public async Task ConnAck_LargerThanTheClientsMaximumPacketSize_IsNeverSent()
    {
        // An empty client id makes the CONNACK carry an Assigned Client Identifier of 37 bytes; with a limit of 20
        // it cannot fit, and [MQTT-3.1.2-24] forbids sending it: the connection closes without it.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using RawMqttClient client = await RawMqttClient.ConnectTcpAsync(host.Port, V5);
        await client.SendAsync(w => MqttPacketEncoder.WriteConnect(w, Connect(string.Empty, V5, properties: new MqttProperties { MaximumPacketSize = 20 })));

        (await client.LastPacketBeforeCloseAsync()).Should().BeNull();
        host.Logs.Entries.Select(e => e.Message).Should().Contain(m => m.Contains("does not fit its Maximum Packet Size", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnAck_WithinASmallLimit_IsSent()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();

        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("c", V5, properties: new MqttProperties { MaximumPacketSize = 32 }));
        await using RawMqttClient owned = client;

        ack.ReasonCode.Should().Be(0);
    }

    [Fact]
    public async Task MessageExpiry_QueuedForAnOfflineSession_ExpiredOnesAreDropped_OthersCarryTheTimeLeft()
    {
        // [MQTT-3.3.2-5]: an expired message is not delivered; [MQTT-3.3.2-6]: the forwarded expiry is the
        // received value minus the time spent waiting in the server.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        MqttProperties expiry = new() { SessionExpiryInterval = 300 };
        (RawMqttClient sub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("ex-sub", V5, clean: false, properties: expiry));
        await using (sub)
        {
            await sub.SubscribeAsync(1, "ex/#", MqttQualityOfService.AtLeastOnce);
            (await sub.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
            await sub.SendAsync(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket(), V5));
        }

        (RawMqttClient pub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("ex-pub", V5));
        await using RawMqttClient ownedPub = pub;
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 1, "the subscriber to go offline");
        await PublishWithExpiryAsync(pub, "ex/short", "short", 1, packetId: 1);
        await PublishWithExpiryAsync(pub, "ex/long", "long", 100, packetId: 2);
        (await pub.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        (await pub.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        await Task.Delay(TimeSpan.FromSeconds(2.2), TestContext.Current.CancellationToken);

        (RawMqttClient back, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("ex-sub", V5, clean: false, properties: expiry));
        await using RawMqttClient ownedBack = back;

        ack.SessionPresent.Should().BeTrue();
        ReceivedPublish first = (ReceivedPublish)await back.ReceiveAsync();
        first.Topic.Should().Be("ex/long");
        first.Properties!.MessageExpiryInterval.Should().BeInRange(1u, 98u);
        await back.SendAsync(MqttPacketEncoder.WritePingReq);
        (await back.ReceiveAsync()).Should().Be(MqttPacketType.PingResp, "the expired message was dropped");
    }

    [Fact]
    public async Task MessageExpiry_RetainedMessage_IsNotServedAfterItExpires()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient pub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("rx-pub", V5));
        await using RawMqttClient ownedPub = pub;
        await PublishWithExpiryAsync(pub, "rx/short", "short", 1, packetId: 1, retain: true);
        await PublishWithExpiryAsync(pub, "rx/long", "long", 100, packetId: 2, retain: true);
        (await pub.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        (await pub.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        await Task.Delay(TimeSpan.FromSeconds(2.2), TestContext.Current.CancellationToken);

        (RawMqttClient sub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("rx-sub", V5));
        await using RawMqttClient ownedSub = sub;
        await sub.SubscribeAsync(1, "rx/#", MqttQualityOfService.AtLeastOnce);

        (await sub.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        ReceivedPublish retained = (ReceivedPublish)await sub.ReceiveAsync();
        retained.Topic.Should().Be("rx/long");
        retained.Retain.Should().BeTrue();
        retained.Properties!.MessageExpiryInterval.Should().BeInRange(1u, 98u);
        await sub.SendAsync(MqttPacketEncoder.WritePingReq);
        (await sub.ReceiveAsync()).Should().Be(MqttPacketType.PingResp, "the expired retained message is gone");
    }

    [Fact]
    public async Task Will_PropertiesAreForwarded_WithoutTheWillDelay()
    {
        // MQTT 5.0 §3.1.3.2: payload format, message expiry, content type, response topic, correlation data and user
        // properties of the will are sent with the will message ([MQTT-3.1.3-10]: user properties in order).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient sub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wp-sub", V5));
        await using RawMqttClient ownedSub = sub;
        await sub.SubscribeAsync(1, "wp/#", MqttQualityOfService.AtLeastOnce);
        (await sub.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        var will = new MqttWillMessage
        {
            Topic = "wp/status",
            Payload = "offline"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            Properties = new MqttProperties
            {
                PayloadFormatIndicator = 1,
                MessageExpiryInterval = 600,
                ContentType = "text/plain",
                ResponseTopic = "wp/reply",
                CorrelationData = [1, 2, 3],
                UserProperties = [new MqttUserProperty("site", "Đà Nẵng"), new MqttUserProperty("site", "Huế")],
            },
        };
        (RawMqttClient dying, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wp-dev", V5, will: will));

        await dying.DisposeAsync();

        ReceivedPublish received = (ReceivedPublish)await sub.ReceiveAsync();
        received.Payload.Should().Be("offline");
        MqttProperties p = received.Properties!;
        p.PayloadFormatIndicator.Should().Be(1);
        p.MessageExpiryInterval.Should().BeInRange(590u, 600u);
        p.ContentType.Should().Be("text/plain");
        p.ResponseTopic.Should().Be("wp/reply");
        p.CorrelationData.Should().Equal(1, 2, 3);
        p.UserProperties.Should().Equal(new MqttUserProperty("site", "Đà Nẵng"), new MqttUserProperty("site", "Huế"));
        p.WillDelayInterval.Should().BeNull();
    }

    [Fact]
    public async Task WillDelay_ClientReconnectsWithinTheDelay_NoWill()
    {
        // [MQTT-3.1.3-9]: a new network connection to the session before the Will Delay Interval passed: no will.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        RecordingHandler wills = new();
        using IDisposable subscription = host.Broker.SubscribeInProcess("wd/#", wills);
        MqttWillMessage will = new() { Topic = "wd/status", Payload = "offline"u8.ToArray(), Properties = new MqttProperties { WillDelayInterval = 2 } };
        MqttProperties session = new() { SessionExpiryInterval = 300 };
        (RawMqttClient dying, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wd-dev", V5, clean: false, will: will, properties: session));
        await dying.DisposeAsync();
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the device's connection to close");

        (RawMqttClient back, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("wd-dev", V5, clean: false, properties: session));
        await using RawMqttClient owned = back;
        ack.SessionPresent.Should().BeTrue();
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        wills.Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task WillDelay_ClientComesBackWithCleanStart_TheSessionEndsAndTheWillGoesOutAtOnce()
    {
        // [MQTT-3.1.3-9] with §3.1.2.5: the will is published when the delay passed or the session ends, whichever is first.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        RecordingHandler wills = new();
        using IDisposable subscription = host.Broker.SubscribeInProcess("wc/#", wills);
        MqttWillMessage will = new() { Topic = "wc/status", Payload = "offline"u8.ToArray(), Properties = new MqttProperties { WillDelayInterval = 3600 } };
        MqttProperties session = new() { SessionExpiryInterval = 7200 };
        (RawMqttClient dying, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wc-dev", V5, clean: false, will: will, properties: session));
        await dying.DisposeAsync();
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the device's connection to close");
        wills.Messages.Should().BeEmpty();

        (RawMqttClient back, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("wc-dev", V5, clean: true));
        await using RawMqttClient owned = back;

        ack.SessionPresent.Should().BeFalse();
        await Poll.UntilAsync(() => wills.Messages.Count == 1, "the will");
    }

    [Theory]
    [InlineData(0u, false, true)]
    [InlineData(60u, false, false)]
    [InlineData(60u, true, true)]
    public async Task WillOnTakeover_FollowsTheWillDelayAndWhetherTheSessionContinues(uint delay, bool newCleanStart, bool willExpected)
    {
        // MQTT 5.0 §3.1.4: a taken-over client's will is published as §3.1.2.5 says ([MQTT-3.1.3-9]).
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        RecordingHandler wills = new();
        using IDisposable subscription = host.Broker.SubscribeInProcess("wt/#", wills);
        MqttWillMessage will = new() { Topic = "wt/status", Payload = "offline"u8.ToArray(), Properties = new MqttProperties { WillDelayInterval = delay } };
        MqttProperties session = new() { SessionExpiryInterval = 300 };
        (RawMqttClient first, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wt-dev", V5, clean: false, will: will, properties: session));
        await using RawMqttClient ownedFirst = first;

        (RawMqttClient second, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("wt-dev", V5, clean: newCleanStart, properties: session));
        await using RawMqttClient ownedSecond = second;
        (await first.WaitForCloseAsync()).Should().BeTrue();

        if (willExpected)
        {
            await Poll.UntilAsync(() => wills.Messages.Count == 1, "the will");
        }
        else
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            wills.Messages.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Unsubscribe_WhileAMessageForThatFilterIsBeingRouted_NothingArrivesAfterTheUnsubAck()
    {
        // [MQTT-3.10.4-2]: after UNSUBSCRIBE the server stops adding messages for the filter; UNSUBACK confirms it.
        // The race: a publisher's routing matched the subscription and then waited on an in-process handler while
        // the subscriber unsubscribed; the message used to be queued (and sent) after the UNSUBACK.
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var gate = new GateHandler();
        using IDisposable slow = host.Broker.SubscribeInProcess("us/#", gate);
        (RawMqttClient sub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("us-sub", V311));
        await using RawMqttClient ownedSub = sub;
        await sub.SubscribeAsync(1, "us/a", MqttQualityOfService.AtMostOnce);
        (await sub.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        (RawMqttClient pub, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("us-pub", V311));
        await using RawMqttClient ownedPub = pub;

        await pub.PublishAsync("us/a", "late");
        await gate.Entered.Task.WaitAsync(Poll.Deadline, TestContext.Current.CancellationToken);
        await sub.SendAsync(w => MqttPacketEncoder.WriteUnsubscribe(w, new MqttUnsubscribePacket { PacketId = 2, Filters = ["us/a"] }, V311));
        (await sub.ReceiveAsync()).Should().BeOfType<MqttUnsubAckPacket>();
        gate.Release.SetResult();

        // The publisher's connection handles its next packet only after the routing finished.
        await pub.SendAsync(MqttPacketEncoder.WritePingReq);
        (await pub.ReceiveAsync()).Should().Be(MqttPacketType.PingResp);

        await sub.SendAsync(MqttPacketEncoder.WritePingReq);
        (await sub.ReceiveAsync()).Should().Be(MqttPacketType.PingResp, "no PUBLISH may follow the UNSUBACK");
    }

    private static MqttConnectPacket Connect(string clientId, MqttProtocolVersion version, bool clean = true, ushort keepAlive = 60, MqttWillMessage? will = null, MqttProperties? properties = null)
        => new() { ProtocolVersion = version, ClientId = clientId, CleanStart = clean, KeepAliveSeconds = keepAlive, Will = will, Properties = properties };

    private static async Task<ushort> ReceiveOneDeliveryAsync(MqttBrokerHost host, RawMqttClient client, string topic, MqttQualityOfService qos)
    {
        await client.SubscribeAsync(1, topic, qos);
        (await client.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        await host.Broker.PublishAsync(topic, "x"u8.ToArray(), qos, false, TestContext.Current.CancellationToken);
        ReceivedPublish publish = (ReceivedPublish)await client.ReceiveAsync();
        publish.Qos.Should().Be(qos);
        return publish.PacketId;
    }

    private static Task PublishWithExpiryAsync(RawMqttClient client, string topic, string payload, uint seconds, ushort packetId, bool retain = false)
    {
        byte[] properties = [0x02, (byte)(seconds >> 24), (byte)(seconds >> 16), (byte)(seconds >> 8), (byte)seconds];
        return client.SendAsync(w => MqttPacketEncoder.WritePublish(w, V5, Encoding.UTF8.GetBytes(topic), Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain, false, packetId, properties));
    }

    private sealed class GateHandler : IMqttMessageHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
        }
    }
}
