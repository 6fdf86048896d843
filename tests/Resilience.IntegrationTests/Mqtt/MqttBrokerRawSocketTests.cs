using System.Text;
using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Byte-level behaviour over real sockets: misbehaving clients, sessions, takeover, keep-alive, shared subscriptions.</summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerRawSocketTests
{
    private static MqttConnectPacket Connect(string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, bool clean = true, ushort keepAlive = 60, MqttWillMessage? will = null, MqttProperties? properties = null)
        => new() { ClientId = clientId, ProtocolVersion = version, CleanStart = clean, KeepAliveSeconds = keepAlive, Will = will, Properties = properties };

    [Fact]
    public async Task BareTcpConnectAndClose_LeavesNoLogNoiseAndTheBrokerServes()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        for (int i = 0; i < 20; i++)
        {
            await using RawMqttClient bare = await RawMqttClient.ConnectTcpAsync(host.Port);
        }

        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("after"));
        await using RawMqttClient owned = client;

        ack.ReasonCode.Should().Be(0);
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 1, "bare connections to be cleaned up");
        host.Logs.Entries.Where(e => e.EventId is > 1000 and < 1200).Select(e => e.Message).Should().BeEmpty();
        host.Broker.GetMetricsSnapshot().Rejected.Should().Be(0);
    }

    [Fact]
    public async Task RawClientWithWill_SocketClosedWithoutDisconnect_WillIsPublished()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("status/#", handler);
        var will = new MqttWillMessage { Topic = "status/raw", Payload = "offline"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce };
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("raw", MqttProtocolVersion.V311, will: will));
        ack.ReasonCode.Should().Be(0);

        await client.DisposeAsync();

        await Poll.UntilAsync(() => !handler.Messages.IsEmpty, "the will");
        handler.Messages.Should().Equal("status/raw offline");
    }

    [Fact]
    public async Task NormalDisconnect_WillIsDiscarded()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("status/#", handler);
        var will = new MqttWillMessage { Topic = "status/raw", Payload = "offline"u8.ToArray() };
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("raw", will: will));
        await using RawMqttClient owned = client;

        await client.SendAsync(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket(), MqttProtocolVersion.V500));
        (await client.WaitForCloseAsync()).Should().BeTrue();
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the close");
        await host.Broker.PublishAsync("status/marker", "m"u8.ToArray(), MqttQualityOfService.AtMostOnce, false, TestContext.Current.CancellationToken);

        handler.Messages.Should().Equal("status/marker m");
    }

    [Theory]
    [InlineData("30 03 00 01 61 30 FF FF FF FF 7F", MqttReasonCode.MalformedPacket)]
    [InlineData("30 04 00 02 61 2B", MqttReasonCode.TopicNameInvalid)]
    [InlineData("32 04 00 01 61 00 00", MqttReasonCode.MalformedPacket)]
    [InlineData("10 00", MqttReasonCode.ProtocolError)]
    [InlineData("90 03 00 01 00", MqttReasonCode.ProtocolError)]
    [InlineData("30 00", MqttReasonCode.MalformedPacket)]
    [InlineData("3F 00", MqttReasonCode.MalformedPacket)]
    [InlineData("30 07 00 01 61 02 0B 01 78", MqttReasonCode.ProtocolError)]
    [InlineData("30 FF FF 7F", MqttReasonCode.PacketTooLarge)]
    public async Task BadPacketAfterConnect_ClosesOnlyThatConnectionWithV5Reason(string hex, MqttReasonCode expected)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:MaxPacketSize"] = "65536" });
        (RawMqttClient good, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("good"));
        await using RawMqttClient owned2 = good;
        await good.SubscribeAsync(1, "t", MqttQualityOfService.AtMostOnce);
        (await good.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        (RawMqttClient bad, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("bad"));
        await using RawMqttClient owned3 = bad;

        await bad.SendRawAsync(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));

        object? last = await bad.LastPacketBeforeCloseAsync();
        last.Should().BeOfType<MqttDisconnectPacket>().Which.ReasonCode.Should().Be(expected);
        await good.PublishAsync("t", "still here");
        ((ReceivedPublish)await good.ReceiveAsync()).Payload.Should().Be("still here");
        host.Logs.Entries.Should().Contain(e => e.EventId == 1020 && e.Level == LogLevel.Information);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 5)]
    [InlineData(MqttProtocolVersion.V500, 0x87)]
    public async Task Will_OnAnotherSensorsTopicUnderAcl_IsRefusedAtConnect(MqttProtocolVersion version, int expected)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Acl:0:Topic"] = "sensors/+/%u/#",
            ["Resilience:Mqtt:Broker:Acl:0:Access"] = "Write",
            ["Resilience:Mqtt:Broker:AnonymousRole"] = "AlertsReader",
        });
        MqttConnectPacket forged = Connect("dev", version, will: new MqttWillMessage { Topic = "sensors/danang/other/status", Payload = "offline"u8.ToArray() });
        forged.UserName = "dev";
        MqttConnectPacket own = Connect("dev", version, will: new MqttWillMessage { Topic = "sensors/danang/dev/status", Payload = "offline"u8.ToArray() });
        own.UserName = "dev";

        (RawMqttClient refused, MqttConnAckPacket refusedAck) = await RawMqttClient.ConnectAsync(host.Port, forged);
        await using RawMqttClient owned = refused;
        (RawMqttClient accepted, MqttConnAckPacket acceptedAck) = await RawMqttClient.ConnectAsync(host.Port, own);
        await using RawMqttClient owned2 = accepted;

        refusedAck.ReasonCode.Should().Be((byte)expected);
        acceptedAck.ReasonCode.Should().Be(0);
    }

    [Fact]
    public async Task UnsupportedProtocolLevel_GetsConnAck1AndIsClosed()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using RawMqttClient client = await RawMqttClient.ConnectTcpAsync(host.Port);

        await client.SendRawAsync(Convert.FromHexString("100D00044D5154540602003C000163"));

        object? last = await client.LastPacketBeforeCloseAsync();
        last.Should().BeOfType<MqttConnAckPacket>().Which.ReasonCode.Should().Be(1);
    }

    [Fact]
    public async Task KeepAlive_ClientGoesSilent_IsDisconnectedAfterOneAndAHalfPeriods()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("sleepy", keepAlive: 1));
        await using RawMqttClient owned = client;
        var started = System.Diagnostics.Stopwatch.StartNew();

        object? last = await client.LastPacketBeforeCloseAsync();

        last.Should().BeOfType<MqttDisconnectPacket>().Which.ReasonCode.Should().Be(MqttReasonCode.KeepAliveTimeout);
        started.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.4));
    }

    [Fact]
    public async Task SameClientId_SecondConnection_TakesOverAndFirstGetsSessionTakenOver()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient first, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("dup"));
        await using RawMqttClient owned = first;

        (RawMqttClient second, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("dup"));
        await using RawMqttClient owned2 = second;

        ack.ReasonCode.Should().Be(0);
        object? last = await first.LastPacketBeforeCloseAsync();
        last.Should().BeOfType<MqttDisconnectPacket>().Which.ReasonCode.Should().Be(MqttReasonCode.SessionTakenOver);
        await second.SendAsync(MqttPacketEncoder.WritePingReq);
        (await second.ReceiveAsync()).Should().Be(MqttPacketType.PingResp);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PersistentSession_MessagesWhileOffline_AreDeliveredOnReconnect(MqttProtocolVersion version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        MqttProperties? expiry = version == MqttProtocolVersion.V500 ? new MqttProperties { SessionExpiryInterval = 300 } : null;
        (RawMqttClient client, MqttConnAckPacket first) = await RawMqttClient.ConnectAsync(host.Port, Connect("ops", version, clean: false, properties: expiry));
        first.SessionPresent.Should().BeFalse();
        await client.SubscribeAsync(1, "alerts/#", MqttQualityOfService.AtLeastOnce);
        (await client.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();
        await client.SendAsync(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket(), version));
        await client.WaitForCloseAsync();
        await client.DisposeAsync();
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the disconnect");

        await host.Broker.PublishAsync("alerts/danang/a", "1"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, TestContext.Current.CancellationToken);
        await host.Broker.PublishAsync("alerts/danang/b", "2"u8.ToArray(), MqttQualityOfService.ExactlyOnce, false, TestContext.Current.CancellationToken);
        await host.Broker.PublishAsync("alerts/danang/c", "qos0 is not queued offline"u8.ToArray(), MqttQualityOfService.AtMostOnce, false, TestContext.Current.CancellationToken);
        (RawMqttClient again, MqttConnAckPacket second) = await RawMqttClient.ConnectAsync(host.Port, Connect("ops", version, clean: false, properties: expiry));
        await using RawMqttClient owned = again;

        second.SessionPresent.Should().BeTrue();
        var a = (ReceivedPublish)await again.ReceiveAsync();
        var b = (ReceivedPublish)await again.ReceiveAsync();
        (a.Topic, a.Payload, a.Qos).Should().Be(("alerts/danang/a", "1", MqttQualityOfService.AtLeastOnce));
        (b.Topic, b.Payload, b.Qos).Should().Be(("alerts/danang/b", "2", MqttQualityOfService.AtLeastOnce));
    }

    [Fact]
    public async Task Qos1Delivery_NotAcknowledged_IsResentWithDupAfterReconnect()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var expiry = new MqttProperties { SessionExpiryInterval = 300 };
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("flaky", clean: false, properties: expiry));
        await client.SubscribeAsync(1, "x", MqttQualityOfService.AtLeastOnce);
        await client.ReceiveAsync();
        await host.Broker.PublishAsync("x", "p"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, TestContext.Current.CancellationToken);
        var firstTry = (ReceivedPublish)await client.ReceiveAsync();
        await client.DisposeAsync();
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the drop");

        (RawMqttClient again, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("flaky", clean: false, properties: expiry));
        await using RawMqttClient owned = again;

        var resent = (ReceivedPublish)await again.ReceiveAsync();
        firstTry.Dup.Should().BeFalse();
        resent.Dup.Should().BeTrue();
        resent.PacketId.Should().Be(firstTry.PacketId);
        resent.Payload.Should().Be("p");
    }

    [Fact]
    public async Task SharedSubscription_TwoMembers_ShareMessagesRoundRobin()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (RawMqttClient a, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("a"));
        (RawMqttClient b, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("b"));
        await using RawMqttClient owned = a;
        await using RawMqttClient owned2 = b;
        await a.SubscribeAsync(1, "$share/ingest/sensors/#", MqttQualityOfService.AtMostOnce);
        await b.SubscribeAsync(1, "$share/ingest/sensors/#", MqttQualityOfService.AtMostOnce);
        await a.ReceiveAsync();
        await b.ReceiveAsync();

        for (int i = 0; i < 10; i++)
        {
            await host.Broker.PublishAsync("sensors/x", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), MqttQualityOfService.AtMostOnce, false, TestContext.Current.CancellationToken);
        }

        var gotA = new List<string>();
        var gotB = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            gotA.Add(((ReceivedPublish)await a.ReceiveAsync()).Payload);
            gotB.Add(((ReceivedPublish)await b.ReceiveAsync()).Payload);
        }

        gotA.Concat(gotB).Should().BeEquivalentTo(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    }

    [Fact]
    public async Task TopicAlias_SetThenUsed_ResolvesToTheTopic()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/#", handler);
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Connect("aliaser"));
        await using RawMqttClient owned = client;
        ack.Properties!.TopicAliasMaximum.Should().BeGreaterThan(0);
        byte[] alias = [0x23, 0x00, 0x01];

        await client.SendAsync(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V500, "sensors/danang/s1/telemetry"u8, "1"u8, MqttQualityOfService.AtMostOnce, false, false, 0, alias));
        await client.SendAsync(w => MqttPacketEncoder.WritePublish(w, MqttProtocolVersion.V500, default, "2"u8, MqttQualityOfService.AtLeastOnce, false, false, 5, alias));

        (await client.ReceiveAsync()).Should().BeOfType<MqttAckPacket>().Which.PacketId.Should().Be(5);
        handler.Messages.Should().Equal("sensors/danang/s1/telemetry 1", "sensors/danang/s1/telemetry 2");
    }

    [Fact]
    public async Task InProcessHandler_StillRunning_HoldsBackThePublishersAcknowledgement()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var gate = new GateHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("slow/#", gate);
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, Connect("pub"));
        await using RawMqttClient owned = client;

        await client.PublishAsync("slow/1", "a", MqttQualityOfService.AtLeastOnce, 1);
        await gate.Entered.Task.WaitAsync(Poll.Deadline, TestContext.Current.CancellationToken);
        Func<Task> early = () => client.ReceiveAsync(TimeSpan.FromMilliseconds(300));
        await early.Should().ThrowAsync<OperationCanceledException>();
        gate.Release.SetResult();

        (await client.ReceiveAsync()).Should().BeOfType<MqttAckPacket>().Which.PacketId.Should().Be(1);
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
