using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// The audit's attacks on the MQTT edge (issue 11), replayed on real sockets against the broker's shipped defaults:
/// each one must now be refused or bounded. Figures go to the test output.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AttackFiguresCollection.Name)]
public sealed class MqttBrokerSecurityTests
{
    internal const string Gauge = "dn-camle-wl";
    internal const string GaugePassword = "gauge-secret";
    private const string OtherGauge = "hn-longbien-wl";
    private const string OtherPassword = "other-secret";
    private const int AuthFailuresBeforeBackoff = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task AnonymousPublish_OfAnAlarmLevelReading_IsRefused(string version)
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir);
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/#", handler);

        (int anonymous, string output) = await MosquittoCli.PublishAsync(host.Port, version, "-q", "1", "-t", $"sensors/danang/{Gauge}/telemetry", "-m", "{\"values\":{\"water_level\":2.7}}");
        (int device, string deviceOutput) = await MosquittoCli.PublishAsync(host.Port, version, "-u", Gauge, "-P", GaugePassword, "-q", "1", "-t", $"sensors/danang/{Gauge}/telemetry", "-m", "{\"values\":{\"water_level\":1.1}}");

        anonymous.Should().NotBe(0, "an anonymous client is refused at CONNECT");
        output.ToUpperInvariant().Should().ContainAny("NOT AUTHORI", "REFUSED");
        device.Should().Be(0, deviceOutput);
        await Poll.UntilAsync(() => !handler.Messages.IsEmpty, "the device's own reading");
        handler.Messages.Should().Equal($"sensors/danang/{Gauge}/telemetry {{\"values\":{{\"water_level\":1.1}}}}");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task AnonymousSubscribe_ToEverything_IsRefused(string version)
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir);

        await using ExternalProcess sub = MosquittoCli.Subscribe(host.Port, version, "-t", "#", "-W", "20");
        await Poll.UntilAsync(() => !sub.IsRunning, "mosquitto_sub to give up");

        host.Broker.GetMetricsSnapshot().Rejected.Should().BeGreaterThan(0, sub.Output);
        host.Broker.HasSubscribers("alerts/hanoi/hn-longbien-wl").Should().BeFalse();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 0x80)]
    [InlineData(MqttProtocolVersion.V500, 0x87)]
    public async Task Subscribe_OutsideTheRole_GetsAFailureSubAck_AndTheRolesOwnFiltersAreGranted(MqttProtocolVersion version, byte failure)
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:viewer"] = "AlertsReader",
            ["Resilience:Mqtt:Broker:Roles:ops"] = "Operations",
        }, ("viewer", "v"), ("ops", "o"));

        byte[] device = await SubscribeCodesAsync(host.Port, version, Gauge, GaugePassword, "#", "sensors/#", "alerts/#", $"sensors/danang/{OtherGauge}/command", $"sensors/danang/{Gauge}/command", $"sensors/+/{Gauge}/command");
        byte[] viewer = await SubscribeCodesAsync(host.Port, version, "viewer", "v", "#", "sensors/+/+/telemetry", "alerts/#", "alerts/hanoi/+", "$SYS/#");
        byte[] ops = await SubscribeCodesAsync(host.Port, version, "ops", "o", "#", "+/+/+/telemetry", "sensors/#", "sensors/hanoi/+/status", "alerts/#");

        // Without a device directory the province is free, so "+" there is still only the device's own command topic.
        device.Should().Equal(failure, failure, failure, failure, 1, 1);
        viewer.Should().Equal(failure, failure, 1, 1, failure);
        ops.Should().Equal(failure, failure, 1, 1, 1);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task ForgedRetainedAlert_AndAnEmptyRetainedDelete_AreRefused_EvenForTheOpenRole(string version)
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = "true",
            ["Resilience:Mqtt:Broker:AnonymousRole"] = "Open",
            ["Resilience:Mqtt:Broker:Roles:gw"] = "Gateway",
        }, ("gw", "g"));
        const string Topic = "alerts/hanoi/hn-longbien-wl";
        await host.Broker.PublishAsync(Topic, Encoding.UTF8.GetBytes("{\"state\":\"raised\",\"level\":1}"), MqttQualityOfService.AtLeastOnce, retain: true, Ct);

        await MosquittoCli.PublishAsync(host.Port, version, "-q", "1", "-r", "-t", Topic, "-m", "EVACUATE NOW");
        await MosquittoCli.PublishAsync(host.Port, version, "-u", "gw", "-P", "g", "-q", "1", "-r", "-t", Topic, "-m", "EVACUATE NOW");
        await MosquittoCli.PublishAsync(host.Port, version, "-q", "1", "-r", "-n", "-t", Topic);
        await MosquittoCli.PublishAsync(host.Port, version, "-u", "gw", "-P", "g", "-q", "1", "-r", "-n", "-t", Topic);

        await using ExternalProcess reader = MosquittoCli.Subscribe(host.Port, version, "-t", "alerts/#", "-C", "1", "-W", "20");
        await Poll.UntilAsync(() => !reader.IsRunning, "the retained alert");
        MosquittoCli.Lines(reader).Should().Equal(Topic + " {\"state\":\"raised\",\"level\":1}");
        host.Broker.RetainedCount.Should().Be(1);
        host.Broker.GetMetricsSnapshot().Rejected.Should().Be(4);
    }

    [Fact]
    public async Task RetainedFlood_IsBoundedByCountAndBytes()
    {
        const int Limit = 500;
        const int LimitBytes = 256 * 1024;
        const int Flood = 5000;
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:gw"] = "Gateway",
            ["Resilience:Mqtt:Broker:MaxRetainedMessages"] = Limit.ToString(CultureInfo.InvariantCulture),
            ["Resilience:Mqtt:Broker:MaxRetainedBytes"] = LimitBytes.ToString(CultureInfo.InvariantCulture),
        }, ("gw", "g"));
        MemoryFigure before = AttackFigures.TakeMemory();

        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Login("gw-1", "gw", "g", MqttProtocolVersion.V311));
        await using (client)
        {
            ack.ReasonCode.Should().Be(0);
            string payload = new('x', 1024);
            for (int i = 0; i < Flood; i++)
            {
                await client.PublishAsync($"sensors/danang/flood-{i.ToString(CultureInfo.InvariantCulture)}/status", payload, retain: true);
            }

            // A QoS 1 publish after the flood: its PUBACK means every earlier PUBLISH was handled.
            await client.PublishAsync("sensors/danang/flood-end/status", "end", MqttQualityOfService.AtLeastOnce, packetId: 1);
            (await client.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        }

        MemoryFigure after = AttackFigures.TakeMemory();

        // What the store may hold: MaxRetainedBytes of topics and payloads, plus its bookkeeping per message (the
        // message object, the topic tree node, the dictionary entry: under 512 B each), plus 2 MiB for this process's
        // own garbage-free leftovers (collected log lines, pools). An unbounded store holds the whole flood (≥ 5 MiB).
        const long HeapBound = LimitBytes + (Limit * 512L) + AttackFigures.ProcessSlack;
        AttackFigures.Report(
            $"retained flood: {Flood:N0} × 1 KiB retained topics (limits {Limit} messages, {LimitBytes / 1024} KiB)",
            $"≤ {Limit} messages, ≤ {LimitBytes / 1024} KiB retained; heap growth ≤ MaxRetainedBytes + 512 B × MaxRetainedMessages + 2 MiB = {HeapBound / 1024:N0} KiB",
            $"kept {host.Broker.RetainedCount} messages, {host.Broker.RetainedBytes / 1024:N0} KiB; {AttackFigures.Heap(before, after)}; {AttackFigures.WorkingSet(before, after)}");
        (after.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        host.Broker.RetainedCount.Should().BeLessThanOrEqualTo(Limit);
        host.Broker.RetainedBytes.Should().BeLessThanOrEqualTo(LimitBytes);
        host.Broker.GetMetricsSnapshot().Rejected.Should().BeGreaterThanOrEqualTo(Flood - Limit);
    }

    [Fact]
    public async Task SlowHashSubscriber_IsCutOff_AndQueuedBytesStayBounded_WhileTheSiloStillGetsEveryReading()
    {
        const long MaxQueued = 1024 * 1024;
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:ops"] = "Operations",
            ["Resilience:Mqtt:Broker:Roles:gw"] = "Gateway",
            ["Resilience:Mqtt:Broker:MaxQueuedBytes"] = MaxQueued.ToString(CultureInfo.InvariantCulture),
        }, ("ops", "o"), ("gw", "g"));
        var pipeline = new CountingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/+/+/telemetry", pipeline);
        MemoryFigure before = AttackFigures.TakeMemory();

        // The slow reader: subscribes to everything it may read, then never reads a byte.
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync(IPAddress.Loopback, host.Port, Ct);
        await slow.SendAsync(Encode(w => MqttPacketEncoder.WriteConnect(w, Login("ops-1", "ops", "o", MqttProtocolVersion.V311))), Ct);
        await slow.SendAsync(Encode(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 1, Subscriptions = [new MqttSubscription { Filter = "sensors/#" }] }, MqttProtocolVersion.V311)), Ct);
        await host.WaitForSubscriberAsync("sensors/x/y/status");

        long peakQueued = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(
            async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakQueued = Math.Max(peakQueued, host.Broker.QueuedBytes);
                    await Task.Delay(1, CancellationToken.None);
                }
            },
            Ct);

        const int Messages = 4000;
        string payload = new('p', 8 * 1024);
        (RawMqttClient publisher, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Login("gw-1", "gw", "g", MqttProtocolVersion.V311));
        await using (publisher)
        {
            ack.ReasonCode.Should().Be(0);
            for (int i = 0; i < Messages; i++)
            {
                await publisher.PublishAsync("sensors/danang/dn-x/telemetry", payload);
            }

            await publisher.PublishAsync("sensors/danang/dn-x/telemetry", payload, MqttQualityOfService.AtLeastOnce, packetId: 1);
            (await publisher.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
        }

        await Poll.UntilAsync(() => host.Logs.Entries.Any(e => e.Message.Contains("reads too slowly", StringComparison.Ordinal)), "the slow reader to be cut off");
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the slow reader's connection to close");
        await sampling.CancelAsync();
        await sampler;
        MemoryFigure after = AttackFigures.TakeMemory();

        // Once the reader is cut off its queue is released: what may stay is at most its queue limit (if it were not
        // released) plus 2 MiB for this process's leftovers (collected log lines, pools). Kept, the flood would be 32 MiB.
        const long HeapBound = MaxQueued + AttackFigures.ProcessSlack;
        AttackFigures.Report(
            $"slow QoS 0 '#' reader: {Messages + 1:N0} × 8 KiB ({(Messages + 1) * 8 / 1024} MiB) published while it reads nothing",
            $"queued for it ≤ MaxQueuedBytes ({MaxQueued / 1024} KiB in the test; 4 MiB by default), then cut off; heap growth ≤ {HeapBound / 1024:N0} KiB",
            $"peak queued {peakQueued / 1024:N0} KiB, after the cut-off {host.Broker.QueuedBytes} B; pipeline got {pipeline.Count:N0}; {AttackFigures.Heap(before, after)}; {AttackFigures.WorkingSet(before, after)}");
        (after.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        peakQueued.Should().BeLessThanOrEqualTo(MaxQueued);
        host.Broker.QueuedBytes.Should().Be(0, "the cut-off session's queue is released");
        pipeline.Count.Should().Be(Messages + 1, "the in-process consumer is never slowed or starved by a slow network reader");
    }

    [Fact]
    public async Task TenThousandIdleKeepAliveZeroConnections_WithAStolenLogin_DoNotLockOutADevice()
    {
        const int Attack = 10_000;
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir);
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/#", handler);

        MemoryFigure before = AttackFigures.TakeMemory();
        var sockets = new List<Socket>(Attack);
        int opened = 0;
        try
        {
            for (int i = 0; i < Attack; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, host.Port, Ct);
                    // MQTT 5: a keep-alive of 0 is accepted and held to the server's maximum (600 s), so these connections
                    // stay; a 3.1.1 keep-alive of 0 would be refused at CONNECT (return code 2) and hold nothing.
                    MqttConnectPacket idle = Login("idle-" + i.ToString(CultureInfo.InvariantCulture), OtherGauge, OtherPassword, MqttProtocolVersion.V500);
                    idle.KeepAliveSeconds = 0;
                    await socket.SendAsync(Encode(w => MqttPacketEncoder.WriteConnect(w, idle)), Ct);
                    opened++;
                }
                catch (SocketException)
                {
                    // Refused or reset: the attack is already being turned away.
                }
            }

            int held = host.Broker.ConnectionsFrom(IPAddress.Loopback);

            // The attacker lives in this process too: drop its sockets that the broker already closed (end of stream,
            // nothing to read), so that what is measured is the attack as the broker still holds it.
            int closedByBroker = 0;
            for (int i = sockets.Count - 1; i >= 0; i--)
            {
                if (sockets[i].Connected && sockets[i].Poll(0, SelectMode.SelectRead) && sockets[i].Available == 0)
                {
                    sockets[i].Dispose();
                    sockets.RemoveAt(i);
                    closedByBroker++;
                }
            }

            MemoryFigure during = AttackFigures.TakeMemory();

            // The broker holds at most MaxConnectionsPerAddress connections from the address, each with at most one
            // packet buffered (MaxPacketSize), and the attacker's sockets still open (as many, a few KiB each) are in
            // this process too; 2 MiB covers the leftovers. Holding all 10,000 would leave devices locked out.
            const long HeapBound = (100 * (32L + 4) * 1024) + AttackFigures.ProcessSlack;
            long connections = host.Broker.GetMetricsSnapshot().Connections;
            held.Should().BeInRange(1, 100, "the broker holds idle connections up to the per-address limit, no more");
            (during.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);

            // A device on another address connects and publishes while the flood is held open.
            (int code, string output) = await MosquittoCli.PublishAsync(host.Port, "mqttv311", "-A", "127.0.0.2", "-u", Gauge, "-P", GaugePassword, "-q", "1", "-t", $"sensors/danang/{Gauge}/telemetry", "-m", "ok");
            code.Should().Be(0, output);
            await Poll.UntilAsync(() => !handler.Messages.IsEmpty, "the device's reading");
            AttackFigures.Report(
                $"{Attack:N0} idle keep-alive-0 connections with a stolen login, from one address",
                $"≤ MaxConnectionsPerAddress (100) held; heap growth while held ≤ 100 × (MaxPacketSize + 4 KiB) + 2 MiB = {HeapBound / 1024:N0} KiB",
                $"{opened:N0} TCP handshakes, {held} held, {closedByBroker:N0} closed by the broker (broker connections {connections}); a device from 127.0.0.2 published meanwhile; {AttackFigures.Heap(before, during)}; {AttackFigures.WorkingSet(before, during)}");
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task KeepAliveZero_IsHeldToTheMaximum(MqttProtocolVersion version)
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:MaxKeepAliveSeconds"] = "2" });

        MqttConnectPacket connect = Login(Gauge, Gauge, GaugePassword, version);
        connect.KeepAliveSeconds = 0;
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, connect);
        await using (client)
        {
            if (version == MqttProtocolVersion.V500)
            {
                ack.ReasonCode.Should().Be(0);
                ack.Properties!.ServerKeepAlive.Should().Be((ushort)2, "a v5 client is told the server's keep-alive [MQTT-3.2.2-21]");
            }
            else
            {
                // 3.1.1 cannot be told: the client is either held to the maximum or refused (mosquitto: return code 2).
                ack.ReasonCode.Should().BeOneOf((byte)0, (byte)2);
            }

            // Silent after CONNECT: closed (after 1.5 × 2 s when accepted) instead of being held forever.
            (await client.WaitForCloseAsync()).Should().BeTrue();
        }
    }

    [Fact]
    public async Task TwoHundredThousandSubscriptionFilters_AreRefusedPastTheCap()
    {
        const int Filters = 200_000;
        const int PerPacket = 1000;
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:ops"] = "Operations",
        }, ("ops", "o"));
        MemoryFigure before = AttackFigures.TakeMemory();
        MemoryFigure during;
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Login("ops-1", "ops", "o", MqttProtocolVersion.V311));
        int granted = 0;
        int refused = 0;
        await using (client)
        {
            ack.ReasonCode.Should().Be(0);
            for (int p = 0; p < Filters / PerPacket; p++)
            {
                var subscriptions = new List<MqttSubscription>(PerPacket);
                for (int i = 0; i < PerPacket; i++)
                {
                    subscriptions.Add(new MqttSubscription { Filter = "sensors/f" + ((p * PerPacket) + i).ToString(CultureInfo.InvariantCulture) + "/#" });
                }

                ushort id = (ushort)(p + 1);
                await client.SendAsync(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = id, Subscriptions = subscriptions }, MqttProtocolVersion.V311));
                var subAck = (MqttSubAckPacket)await client.ReceiveAsync();
                granted += subAck.ReasonCodes.Count(c => c < 0x80);
                refused += subAck.ReasonCodes.Count(c => c >= 0x80);
            }

            // Filters 0..99 were granted; 100 and later were refused. Checked while the session still lives.
            host.Broker.HasSubscribers("sensors/f99/x").Should().BeTrue("the hundredth filter is within the cap");
            host.Broker.HasSubscribers("sensors/f100/x").Should().BeFalse("a refused filter is not in the tree");
            host.Broker.HasSubscribers("sensors/f199999/x").Should().BeFalse("a refused filter is not in the tree");
            during = AttackFigures.TakeMemory();
        }

        // The session holds MaxSubscriptionsPerClient filters (a tree node and a subscription each, under 1 KiB), plus
        // 2 MiB for this process's leftovers; 200,000 filters kept would take tens of MiB.
        const long HeapBound = (100 * 1024) + AttackFigures.ProcessSlack;
        AttackFigures.Report(
            $"{Filters:N0} subscription filters from one client",
            $"≤ MaxSubscriptionsPerClient (100) granted; heap growth ≤ 100 × 1 KiB + 2 MiB = {HeapBound / 1024:N0} KiB",
            $"{granted} granted, {refused:N0} refused; {AttackFigures.Heap(before, during)}; {AttackFigures.WorkingSet(before, during)}");
        (during.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        granted.Should().Be(100);
        refused.Should().Be(Filters - 100);
        await Poll.UntilAsync(() => !host.Broker.HasSubscribers("sensors/f5/x"), "the granted filters to go with the clean session");
    }

    [Fact]
    public async Task OfflineSessionFlood_QueueStaysWithinItsLimits_AtTheShippedDefaults()
    {
        const int Flood = 5000;
        const int MaxQueuedMessages = 1000;
        const long MaxQueuedBytes = 4L * 1024 * 1024;
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:ops"] = "Operations",
            ["Resilience:Mqtt:Broker:Roles:gw"] = "Gateway",
        }, ("ops", "o"), ("gw", "g"));

        // A persistent session subscribed to everything it may read goes offline and never comes back.
        MqttConnectPacket persistent = Login("ops-offline", "ops", "o", MqttProtocolVersion.V311);
        persistent.CleanStart = false;
        (RawMqttClient subscriber, MqttConnAckPacket subAck) = await RawMqttClient.ConnectAsync(host.Port, persistent);
        await using (subscriber)
        {
            subAck.ReasonCode.Should().Be(0);
            await subscriber.SubscribeAsync(1, "sensors/#", MqttQualityOfService.AtLeastOnce);
            ((MqttSubAckPacket)await subscriber.ReceiveAsync()).ReasonCodes.Should().Equal((byte)1);
        }

        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 0, "the subscriber to go offline");
        MemoryFigure before = AttackFigures.TakeMemory();
        long droppedBefore = host.Broker.GetMetricsSnapshot().Dropped;
        long peakQueued = 0;
        string payload = new('q', 8 * 1024);
        (RawMqttClient publisher, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, Login("gw-1", "gw", "g", MqttProtocolVersion.V311));
        await using (publisher)
        {
            ack.ReasonCode.Should().Be(0);
            for (int i = 0; i < Flood; i++)
            {
                await publisher.PublishAsync("sensors/danang/dn-x/telemetry", payload, MqttQualityOfService.AtLeastOnce, packetId: (ushort)(1 + (i % 60_000)));
                (await publisher.ReceiveAsync()).Should().BeOfType<MqttAckPacket>();
                peakQueued = Math.Max(peakQueued, host.Broker.QueuedBytes);
            }
        }

        MemoryFigure after = AttackFigures.TakeMemory();
        long dropped = host.Broker.GetMetricsSnapshot().Dropped - droppedBefore;

        // The offline queue holds at most MaxQueuedMessages and MaxQueuedBytes (the defaults), each message with its
        // bookkeeping (under 1 KiB), plus 2 MiB for this process's leftovers; unbounded it would hold the whole 40 MiB.
        const long HeapBound = MaxQueuedBytes + (MaxQueuedMessages * 1024L) + AttackFigures.ProcessSlack;
        AttackFigures.Report(
            $"offline persistent session flooded: {Flood:N0} × 8 KiB QoS 1 ({Flood * 8 / 1024} MiB) for a '#'-like subscriber that never returns",
            $"queue ≤ MaxQueuedMessages ({MaxQueuedMessages:N0}) and ≤ MaxQueuedBytes ({MaxQueuedBytes / (1024 * 1024)} MiB), the rest dropped; heap growth ≤ {HeapBound / 1024:N0} KiB",
            $"peak queued {peakQueued / 1024:N0} KiB, {dropped:N0} dropped, sessions {host.Broker.SessionCount}; {AttackFigures.Heap(before, after)}; {AttackFigures.WorkingSet(before, after)}");
        peakQueued.Should().BeLessThanOrEqualTo(MaxQueuedBytes);
        dropped.Should().BeGreaterThanOrEqualTo(Flood - MaxQueuedMessages);
        (after.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
    }

    [Fact]
    public async Task SessionTakeover_ByAnotherUser_IsRefused_AndTheQueuedCommandStaysWithItsDevice()
    {
        using var dir = new TempDirectory("mqtt-sec");
        await using MqttBrokerHost host = await StartSecureAsync(dir, services: s => s.AddSingleton<IMqttDeviceDirectory>(new FixedDirectory()));
        const string ClientId = "camle-gauge";
        string command = $"sensors/danang/{Gauge}/command";

        MqttConnectPacket owner = Login(ClientId, Gauge, GaugePassword, MqttProtocolVersion.V311);
        owner.CleanStart = false;
        (RawMqttClient first, MqttConnAckPacket firstAck) = await RawMqttClient.ConnectAsync(host.Port, owner);
        await using (first)
        {
            firstAck.ReasonCode.Should().Be(0);
            await first.SubscribeAsync(1, command, MqttQualityOfService.AtLeastOnce);
            ((MqttSubAckPacket)await first.ReceiveAsync()).ReasonCodes.Should().Equal((byte)1);
            await first.SendAsync(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket(), MqttProtocolVersion.V311));
            (await first.WaitForCloseAsync()).Should().BeTrue();
        }

        await host.Broker.PublishAsync(command, Encoding.UTF8.GetBytes("calibrate"), MqttQualityOfService.AtLeastOnce, retain: false, Ct);

        foreach (bool clean in new[] { false, true })
        {
            MqttConnectPacket thief = Login(ClientId, OtherGauge, OtherPassword, MqttProtocolVersion.V311);
            thief.CleanStart = clean;
            (RawMqttClient attacker, MqttConnAckPacket attackerAck) = await RawMqttClient.ConnectAsync(host.Port, thief);
            await using (attacker)
            {
                attackerAck.ReasonCode.Should().Be(5, "3.1.1 'not authorized': the session belongs to another user");
                (await attacker.WaitForCloseAsync()).Should().BeTrue();
            }
        }

        // Squatting on the device's own name as a client id is refused too.
        (RawMqttClient squatter, MqttConnAckPacket squatAck) = await RawMqttClient.ConnectAsync(host.Port, Login(Gauge, OtherGauge, OtherPassword, MqttProtocolVersion.V311));
        await using (squatter)
        {
            squatAck.ReasonCode.Should().Be(5);
        }

        (RawMqttClient back, MqttConnAckPacket backAck) = await RawMqttClient.ConnectAsync(host.Port, owner);
        await using (back)
        {
            backAck.ReasonCode.Should().Be(0);
            backAck.SessionPresent.Should().BeTrue();
            var delivered = (ReceivedPublish)await back.ReceiveAsync();
            delivered.Topic.Should().Be(command);
            delivered.Payload.Should().Be("calibrate");
        }
    }

    [Fact]
    public async Task BruteForce_IsThrottled_WhileOtherAddressesAndDevicesAreUnaffected()
    {
        const int Attempts = 500;
        using var dir = new TempDirectory("mqtt-sec");
        var clock = new ManualTimeProvider();
        await using MqttBrokerHost host = await StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:ConnectRatePerAddress"] = "0",
        }, services: s => s.AddSingleton<TimeProvider>(clock));

        // Warm the login paths (a success and a failure, from addresses the attack does not use), so the figure
        // measures the attack and not this process's first-use caches.
        (await ConnectCodeAsync(host.Port, IPAddress.Parse("127.0.0.4"), OtherGauge, OtherPassword)).Should().Be(0);
        (await ConnectCodeAsync(host.Port, IPAddress.Parse("127.0.0.5"), OtherGauge, "not-the-password")).Should().Be(4);
        long checksBefore = host.Broker.PasswordChecks;
        MemoryFigure before = AttackFigures.TakeMemory();
        int refused = 0;
        for (int i = 0; i < Attempts; i++)
        {
            (RawMqttClient c, MqttConnAckPacket a) = await RawMqttClient.ConnectAsync(host.Port, Login("guess-" + i.ToString(CultureInfo.InvariantCulture), Gauge, "guess" + i.ToString(CultureInfo.InvariantCulture), MqttProtocolVersion.V311));
            await c.DisposeAsync();
            refused += a.ReasonCode == 4 ? 1 : 0;
        }

        long checkedPasswords = host.Broker.PasswordChecks - checksBefore;
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // the broker's side of the last connections closes
        MemoryFigure after = AttackFigures.TakeMemory();

        // The back-off keeps one small record per failing address and per user name (here one of each; at most
        // 100,000 of each), so the attack costs a few hundred bytes; 2 MiB covers this process's leftovers.
        const long HeapBound = AttackFigures.ProcessSlack;
        AttackFigures.Report(
            $"MQTT brute force: {Attempts} wrong passwords from one address",
            $"{AuthFailuresBeforeBackoff} checked, then refused unchecked during a doubling back-off (1 s … 5 min); heap growth ≤ 2 MiB",
            $"{checkedPasswords} checked, {refused} refused; {AttackFigures.Heap(before, after)}; {AttackFigures.WorkingSet(before, after)}");
        (after.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        refused.Should().Be(Attempts);
        checkedPasswords.Should().Be(5, "after 5 failures the address and user wait out a back-off, refused unchecked");

        // The right password from the attacking address is refused during the back-off …
        (await ConnectCodeAsync(host.Port, IPAddress.Loopback, Gauge, GaugePassword)).Should().Be(4);

        // … while the device itself, from its own address, and other devices are unaffected.
        (await ConnectCodeAsync(host.Port, IPAddress.Parse("127.0.0.2"), Gauge, GaugePassword)).Should().Be(0);
        (await ConnectCodeAsync(host.Port, IPAddress.Parse("127.0.0.3"), OtherGauge, OtherPassword)).Should().Be(0);

        // After the back-off the address may try again.
        clock.Advance(TimeSpan.FromSeconds(2));
        (await ConnectCodeAsync(host.Port, IPAddress.Loopback, Gauge, GaugePassword)).Should().Be(0);
    }

    [Fact]
    public async Task PasswordFile_WrittenByTheSiloCommand_WorksWithRealMosquitto()
    {
        using var dir = new TempDirectory("mqtt-sec");
        string file = Path.Combine(dir.Path, "passwd");
        MqttPasswordVerifier.SetPassword(file, Gauge, GaugePassword);
        MqttPasswordVerifier.SetPassword(file, OtherGauge, "first");
        MqttPasswordVerifier.SetPassword(file, OtherGauge, OtherPassword);
        (await File.ReadAllLinesAsync(file, Ct)).Should().HaveCount(2).And.OnlyContain(l => l.Contains(":$7$101$", StringComparison.Ordinal));

        AllowMosquittoToRead(file);
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync(["allow_anonymous false", "password_file " + file]);
        (int right, string rightOutput) = await MosquittoCli.PublishAsync(mosquitto.Port, "mqttv311", "-u", OtherGauge, "-P", OtherPassword, "-t", "t", "-m", "m");
        (int old, _) = await MosquittoCli.PublishAsync(mosquitto.Port, "mqttv311", "-u", OtherGauge, "-P", "first", "-t", "t", "-m", "m");
        (int wrong, _) = await MosquittoCli.PublishAsync(mosquitto.Port, "mqttv311", "-u", Gauge, "-P", "nope", "-t", "t", "-m", "m");

        right.Should().Be(0, rightOutput + mosquitto.Output);
        old.Should().NotBe(0, "a rotated password no longer works");
        wrong.Should().NotBe(0);
    }

    /// <summary>The file is owner-only; mosquitto started as root reads it as its own user.</summary>
    internal static void AllowMosquittoToRead(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    internal static async Task<MqttBrokerHost> StartSecureAsync(TempDirectory dir, IDictionary<string, string?>? settings = null, params (string User, string Password)[] users)
        => await StartSecureAsync(dir, settings, null, users);

    internal static async Task<MqttBrokerHost> StartSecureAsync(TempDirectory dir, Action<IServiceCollection> services)
        => await StartSecureAsync(dir, null, services, []);

    internal static async Task<MqttBrokerHost> StartSecureAsync(TempDirectory dir, IDictionary<string, string?>? settings, Action<IServiceCollection>? services, params (string User, string Password)[] users)
    {
        string file = Path.Combine(dir.Path, "passwd");
        MqttPasswordVerifier.SetPassword(file, Gauge, GaugePassword);
        MqttPasswordVerifier.SetPassword(file, OtherGauge, OtherPassword);
        foreach ((string user, string password) in users)
        {
            MqttPasswordVerifier.SetPassword(file, user, password);
        }

        var all = new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:PasswordFile"] = file };
        foreach (KeyValuePair<string, string?> entry in settings ?? new Dictionary<string, string?>())
        {
            all[entry.Key] = entry.Value;
        }

        return await MqttBrokerHost.StartAsync(all, secureDefaults: true, services);
    }

    private static MqttConnectPacket Login(string clientId, string user, string password, MqttProtocolVersion version) => new()
    {
        ClientId = clientId,
        ProtocolVersion = version,
        CleanStart = true,
        KeepAliveSeconds = 60,
        UserName = user,
        Password = Encoding.UTF8.GetBytes(password),
    };

    private static byte[] Encode(Action<System.Buffers.IBufferWriter<byte>> write)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>CONNECTs from <paramref name="from"/> and returns the CONNACK code (3.1.1).</summary>
    private static async Task<int> ConnectCodeAsync(int port, IPAddress from, string user, string password)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        await socket.SendAsync(Encode(w => MqttPacketEncoder.WriteConnect(w, Login("probe-" + from, user, password, MqttProtocolVersion.V311))), Ct);
        byte[] connAck = new byte[4];
        int got = 0;
        while (got < 4)
        {
            int n = await socket.ReceiveAsync(connAck.AsMemory(got), Ct);
            if (n == 0)
            {
                throw new EndOfStreamException("closed before CONNACK");
            }

            got += n;
        }

        return connAck[3];
    }

    private static async Task<byte[]> SubscribeCodesAsync(int port, MqttProtocolVersion version, string user, string password, params string[] filters)
    {
        (RawMqttClient client, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(port, Login(user + "-sub", user, password, version));
        await using (client)
        {
            ack.ReasonCode.Should().Be(0);
            var codes = new List<byte>();
            ushort id = 1;
            foreach (string filter in filters)
            {
                await client.SubscribeAsync(id++, filter, MqttQualityOfService.AtLeastOnce);
                codes.AddRange(((MqttSubAckPacket)await client.ReceiveAsync()).ReasonCodes);
            }

            return [.. codes];
        }
    }

    private sealed class FixedDirectory : IMqttDeviceDirectory
    {
        public bool TryGetProvince(string deviceId, [NotNullWhen(true)] out string? province)
        {
            province = deviceId switch
            {
                Gauge => "danang",
                OtherGauge => "hanoi",
                _ => null,
            };
            return province is not null;
        }
    }

    private sealed class CountingHandler : IMqttMessageHandler
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}
