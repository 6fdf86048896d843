using System.Net;
using System.Net.Sockets;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;
using static Resilience.IntegrationTests.MqttClient.MqttClientTestHelpers;
using Client = Resilience.Ingest.Mqtt.Client.MqttClient;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>Our MQTT client against a real mosquitto 2.0 (and its reference command-line clients).</summary>
[Trait("Category", "Integration")]
public sealed class MqttClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce)]
    public async Task PublishAsync_EachQos_SubscriberReceivesAllInOrder(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client subscriber = await ConnectAsync(Options(broker, version, "sub"), Ct);
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);
        (await subscriber.SubscribeAsync("rt/+/x", MqttQualityOfService.ExactlyOnce, Ct)).Should().Be(MqttQualityOfService.ExactlyOnce);

        for (int i = 0; i < 50; i++)
        {
            await publisher.PublishAsync($"rt/{i % 3}/x", Bytes($"m{i}"), qos, cancellationToken: Ct);
        }

        List<MqttReceivedMessage> got = await ReadAsync(subscriber, 50);
        got.Select(Text).Should().Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"));
        got.Select(m => m.Topic).Should().Equal(Enumerable.Range(0, 50).Select(i => $"rt/{i % 3}/x"));
        got.Should().OnlyContain(m => m.Qos == qos && !m.Retain);
        publisher.InFlight.Should().Be(0);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task PublishAsync_ToMosquittoSub_ArrivesOnce(bool mqtt5, int qos)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using ExternalProcess sub = await MosquittoClients.StartSubscriberAsync(broker.Port, "cross/#", "cross/probe", qos, mqtt5, Ct);
        MqttProtocolVersion version = mqtt5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);

        for (int i = 0; i < 10; i++)
        {
            await publisher.PublishAsync($"cross/{i}", Bytes($"hello {i}"), (MqttQualityOfService)qos, cancellationToken: Ct);
        }

        await WaitUntilAsync(() => MosquittoClients.ReceivedLines(sub).Count >= 10, "mosquitto_sub printed 10 messages");
        MosquittoClients.ReceivedLines(sub).Should().Equal(Enumerable.Range(0, 10).Select(i => $"cross/{i} hello {i}"));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task SubscribeAsync_MosquittoPubPublishes_ClientReceivesWithQos(bool mqtt5, int qos)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MqttProtocolVersion version = mqtt5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        await using Client subscriber = await ConnectAsync(Options(broker, version, "sub"), Ct);
        await subscriber.SubscribeAsync("from/pub", MqttQualityOfService.ExactlyOnce, Ct);

        for (int i = 0; i < 3; i++)
        {
            await MosquittoClients.PublishAsync(broker.Port, "from/pub", $"p{i}", qos, mqtt5, cancellationToken: Ct);
        }

        List<MqttReceivedMessage> got = await ReadAsync(subscriber, 3);
        got.Select(Text).Should().Equal("p0", "p1", "p2");
        got.Should().OnlyContain(m => (int)m.Qos == qos);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PublishAsync_Retained_DeliveredOnSubscribeAndClearedByEmptyPayload(MqttProtocolVersion version)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);
        await publisher.PublishAsync("sensors/danang/s1/status", Bytes("online"), MqttQualityOfService.AtLeastOnce, retain: true, Ct);

        await using (Client late = await ConnectAsync(Options(broker, version, "late"), Ct))
        {
            await late.SubscribeAsync("sensors/+/+/status", MqttQualityOfService.AtLeastOnce, Ct);
            MqttReceivedMessage retained = (await ReadAsync(late, 1))[0];
            Text(retained).Should().Be("online");
            retained.Retain.Should().BeTrue();
            retained.Topic.Should().Be("sensors/danang/s1/status");
        }

        await publisher.PublishAsync("sensors/danang/s1/status", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true, Ct);
        await using Client after = await ConnectAsync(Options(broker, version, "after"), Ct);
        await after.SubscribeAsync("sensors/+/+/status", MqttQualityOfService.AtLeastOnce, Ct);
        await after.SubscribeAsync("marker", MqttQualityOfService.AtLeastOnce, Ct);
        await publisher.PublishAsync("marker", Bytes("end"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        MqttReceivedMessage first = (await ReadAsync(after, 1))[0];
        first.Topic.Should().Be("marker", "the retained status was cleared by the empty payload");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task AbortConnection_WithWill_OtherSubscriberReceivesWill(MqttProtocolVersion version)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client watcher = await ConnectAsync(Options(broker, version, "watcher"), Ct);
        await watcher.SubscribeAsync("sensors/+/+/status", MqttQualityOfService.AtLeastOnce, Ct);
        MqttClientOptions deviceOptions = Options(broker, version, "device-7");
        deviceOptions.AutoReconnect = false;
        deviceOptions.Will = new MqttWillMessage { Topic = "sensors/hanoi/device-7/status", Payload = Bytes("offline"), Qos = MqttQualityOfService.AtLeastOnce };
        await using Client device = await ConnectAsync(deviceOptions, Ct);
        await device.PublishAsync("sensors/hanoi/device-7/status", Bytes("online"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        Text((await ReadAsync(watcher, 1))[0]).Should().Be("online");

        device.AbortConnection();

        MqttReceivedMessage will = (await ReadAsync(watcher, 1))[0];
        will.Topic.Should().Be("sensors/hanoi/device-7/status");
        Text(will).Should().Be("offline");
    }

    [Fact]
    public async Task DisconnectAsync_WithWill_WillIsNotPublished()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client watcher = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "watcher"), Ct);
        await watcher.SubscribeAsync("will/#", MqttQualityOfService.AtLeastOnce, Ct);
        MqttClientOptions o = Options(broker, MqttProtocolVersion.V500, "polite");
        o.Will = new MqttWillMessage { Topic = "will/polite", Payload = Bytes("gone"), Qos = MqttQualityOfService.AtLeastOnce };
        Client polite = await ConnectAsync(o, Ct);

        await polite.DisposeAsync();
        await using Client publisher = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "pub"), Ct);
        await publisher.PublishAsync("will/marker", Bytes("marker"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        (await ReadAsync(watcher, 1))[0].Topic.Should().Be("will/marker");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task ConnectAsync_PersistentSession_ReceivesWhatWasQueuedOffline(MqttProtocolVersion version)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MqttClientOptions o = Options(broker, version, "silo-1");
        o.CleanStart = false;
        o.SessionExpirySeconds = 3600;
        await using (Client first = await ConnectAsync(o, Ct))
        {
            first.SessionPresent.Should().BeFalse();
            await first.SubscribeAsync("queued/#", MqttQualityOfService.AtLeastOnce, Ct);
        }

        await using (Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct))
        {
            for (int i = 0; i < 20; i++)
            {
                await publisher.PublishAsync($"queued/{i}", Bytes($"q{i}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
            }
        }

        await using Client again = await ConnectAsync(o, Ct);
        again.SessionPresent.Should().BeTrue();
        List<MqttReceivedMessage> got = await ReadAsync(again, 20);
        got.Select(Text).Should().Equal(Enumerable.Range(0, 20).Select(i => $"q{i}"));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, true)]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V500, true)]
    [InlineData(MqttProtocolVersion.V500, false)]
    public async Task BrokerRestart_ClientReconnectsAndReceivesAgain(MqttProtocolVersion version, bool cleanStart)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MosquittoClients.MakePersistenceWritable(broker);
        MqttClientOptions o = Options(broker, version, "survivor");
        o.CleanStart = cleanStart;
        o.SessionExpirySeconds = cleanStart ? 0u : 3600u;
        await using Client survivor = await ConnectAsync(o, Ct);
        await survivor.SubscribeAsync("restart/#", MqttQualityOfService.AtLeastOnce, Ct);

        await broker.StopAsync();
        await WaitUntilAsync(() => !survivor.IsConnected, "the client noticed the broker is gone");
        ValueTask pendingPublish = survivor.PublishAsync("restart/own", Bytes("sent while down"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        await broker.StartAgainAsync();

        await WaitUntilAsync(() => survivor.IsConnected && survivor.ConnectionCount == 2, "the client reconnected by itself");
        survivor.SessionPresent.Should().Be(!cleanStart, "mosquitto persists sessions across a restart");
        await pendingPublish.AsTask().WaitAsync(Deadline, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);
        await publisher.PublishAsync("restart/after", Bytes("after restart"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        List<MqttReceivedMessage> got = await ReadAsync(survivor, 2);
        got.Select(Text).Should().BeEquivalentTo("sent while down", "after restart");
    }

    [Fact]
    public async Task BrokerRestartDuringQos1Load_PersistentSessions_NothingIsLost()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MosquittoClients.MakePersistenceWritable(broker);
        MqttClientOptions subOptions = Options(broker, MqttProtocolVersion.V500, "load-sub");
        subOptions.CleanStart = false;
        subOptions.SessionExpirySeconds = 600;
        subOptions.ReceiveChannelCapacity = 10_000;
        await using Client subscriber = await ConnectAsync(subOptions, Ct);
        await subscriber.SubscribeAsync("load/#", MqttQualityOfService.AtLeastOnce, Ct);
        MqttClientOptions pubOptions = Options(broker, MqttProtocolVersion.V500, "load-pub");
        pubOptions.CleanStart = false;
        pubOptions.SessionExpirySeconds = 600;
        await using Client publisher = await ConnectAsync(pubOptions, Ct);

        const int Count = 2000;
        var publishing = new List<Task>(Count);
        for (int i = 0; i < Count; i++)
        {
            publishing.Add(publisher.PublishAsync($"load/{i % 10}", Bytes($"{i}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct).AsTask());
            if (i == Count / 2)
            {
                await broker.StopAsync();
                await broker.StartAgainAsync();
            }
        }

        await Task.WhenAll(publishing).WaitAsync(Deadline, Ct);
        var seen = new HashSet<string>();
        await WaitUntilAsync(
            () =>
            {
                while (subscriber.Messages.TryRead(out MqttReceivedMessage m))
                {
                    seen.Add(Text(m));
                }

                return seen.Count >= Count;
            },
            "every acknowledged message reached the subscriber");
        seen.Should().BeEquivalentTo(Enumerable.Range(0, Count).Select(i => $"{i}"));
        publisher.ConnectionCount.Should().BeGreaterThanOrEqualTo(2);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task SharedSubscription_TwoClients_SplitTheLoadWithoutDuplicates(MqttProtocolVersion version)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client a = await ConnectAsync(Options(broker, version, "silo-a"), Ct);
        await using Client b = await ConnectAsync(Options(broker, version, "silo-b"), Ct);
        await a.SubscribeAsync("$share/resilience/sensors/+/+/telemetry", MqttQualityOfService.AtLeastOnce, Ct);
        await b.SubscribeAsync("$share/resilience/sensors/+/+/telemetry", MqttQualityOfService.AtLeastOnce, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);

        const int Count = 200;
        for (int i = 0; i < Count; i++)
        {
            await publisher.PublishAsync($"sensors/danang/s{i % 7}/telemetry", Bytes($"{i}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        }

        var seenA = new List<string>();
        var seenB = new List<string>();
        await WaitUntilAsync(
            () =>
            {
                while (a.Messages.TryRead(out MqttReceivedMessage m))
                {
                    seenA.Add(Text(m));
                }

                while (b.Messages.TryRead(out MqttReceivedMessage m))
                {
                    seenB.Add(Text(m));
                }

                return seenA.Count + seenB.Count >= Count;
            },
            "both clients together received every message");
        await Task.Delay(200, Ct);
        while (a.Messages.TryRead(out MqttReceivedMessage m))
        {
            seenA.Add(Text(m));
        }

        while (b.Messages.TryRead(out MqttReceivedMessage m))
        {
            seenB.Add(Text(m));
        }

        seenA.Should().NotBeEmpty();
        seenB.Should().NotBeEmpty();
        seenA.Concat(seenB).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(0, Count).Select(i => $"{i}"));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task UnsubscribeAsync_StopsDeliveryAndIsNotRestoredAfterReconnect(MqttProtocolVersion version)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        await using Client client = await ConnectAsync(Options(broker, version, "unsub"), Ct);
        await client.SubscribeAsync("gone/#", MqttQualityOfService.AtLeastOnce, Ct);
        await client.SubscribeAsync("kept/#", MqttQualityOfService.AtLeastOnce, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, version, "pub"), Ct);

        await client.UnsubscribeAsync("gone/#", Ct);
        client.AbortConnection(); // clean session: the reconnect must resubscribe kept/# only
        await WaitUntilAsync(() => client.IsConnected && client.ConnectionCount == 2, "the client reconnected");
        await publisher.PublishAsync("gone/1", Bytes("should not arrive"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        await publisher.PublishAsync("kept/1", Bytes("kept"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        MqttReceivedMessage first = (await ReadAsync(client, 1))[0];
        first.Topic.Should().Be("kept/1");
    }

    [Fact]
    public async Task Messages_ChannelFull_StopsReadingAndLosesNothing()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MqttClientOptions o = Options(broker, MqttProtocolVersion.V500, "slow");
        o.ReceiveChannelCapacity = 4;
        o.ReceiveMaximum = 8;
        await using Client slow = await ConnectAsync(o, Ct);
        await slow.SubscribeAsync("bp/#", MqttQualityOfService.AtLeastOnce, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "pub"), Ct);

        const int Count = 300;
        for (int i = 0; i < Count; i++)
        {
            await publisher.PublishAsync("bp/x", Bytes($"{i}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        }

        await WaitUntilAsync(() => slow.ReceivedCount >= 4, "the channel filled");
        await Task.Delay(300, Ct);
        slow.ReceivedCount.Should().BeLessThanOrEqualTo(5, "the reader waits for the consumer instead of buffering");

        List<MqttReceivedMessage> got = await ReadAsync(slow, Count);
        got.Select(Text).Should().Equal(Enumerable.Range(0, Count).Select(i => $"{i}"));
    }

    [Fact]
    public async Task Handler_IsAwaitedPerMessageWithTopicAndPayload()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handler = new RecordingHandler();
        MqttClientOptions o = Options(broker, MqttProtocolVersion.V500, "handled");
        o.ReceiveChannelCapacity = 0;
        await using var client = new Client(o, handler);
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("h/#", MqttQualityOfService.ExactlyOnce, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "pub"), Ct);

        await publisher.PublishAsync("h/1", Bytes("one"), MqttQualityOfService.ExactlyOnce, cancellationToken: Ct);
        await publisher.PublishAsync("h/2", Bytes("two"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        await WaitUntilAsync(() => handler.Count >= 2, "the handler saw both messages");
        handler.Snapshot().Should().Equal("h/1=one", "h/2=two");
    }

    [Fact]
    public async Task Handler_Throws_MessageIsRedeliveredOnThePersistentSession()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handler = new FailOnceHandler();
        MqttClientOptions o = Options(broker, MqttProtocolVersion.V500, "ingest");
        o.ReceiveChannelCapacity = 0;
        o.CleanStart = false;
        o.SessionExpirySeconds = 600;
        await using var client = new Client(o, handler);
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("sensors/#", MqttQualityOfService.AtLeastOnce, Ct);
        await using Client publisher = await ConnectAsync(Options(broker, MqttProtocolVersion.V500, "pub"), Ct);

        await publisher.PublishAsync("sensors/danang/s1/telemetry", Bytes("{\"seq\":1}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        await WaitUntilAsync(() => handler.Handled == 1, "the message was handled after the failed attempt");
        handler.Attempts.Should().Be(2);
        client.ConnectionCount.Should().Be(2, "the failure closed the connection without PUBACK");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, (byte)5)]
    [InlineData(MqttProtocolVersion.V500, (byte)0x87)]
    public async Task ConnectAsync_WrongPassword_ThrowsWithBrokerCode(MqttProtocolVersion version, byte expected)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        string passwords = Path.Combine(broker.Directory, "passwords");
        await MosquittoClients.CreatePasswordFileAsync(passwords, "officer", "s3cret", Ct);
        await broker.StopAsync();
        broker.ExtraConfig.Add("allow_anonymous false");
        broker.ExtraConfig.Add($"password_file {passwords}");
        await broker.StartAgainAsync();

        MqttClientOptions wrong = Options(broker, version, "intruder");
        wrong.Username = "officer";
        wrong.Password = "guess";
        Func<Task> act = () => new Client(wrong).ConnectAsync(Ct);
        (await act.Should().ThrowAsync<MqttClientException>()).Which.ReasonCode.Should().Be(expected);

        MqttClientOptions right = Options(broker, version, "officer-1");
        right.Username = "officer";
        right.Password = "s3cret";
        await using Client ok = await ConnectAsync(right, Ct);
        ok.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task KeepAlive_BrokerNeverAnswersPing_ClientDropsTheConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = new List<byte>();
        Task fakeBroker = Task.Run(
            async () =>
            {
                using TcpClient peer = await listener.AcceptTcpClientAsync(Ct);
                NetworkStream stream = peer.GetStream();
                var buffer = new byte[256];
                int n = await stream.ReadAsync(buffer, Ct); // CONNECT (small enough for one read)
                await stream.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, Ct); // CONNACK 3.1.1, accepted
                while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
                {
                    lock (received)
                    {
                        received.AddRange(buffer.AsSpan(0, n).ToArray());
                    }
                }
            },
            Ct);

        var o = new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = "pinger", ProtocolVersion = MqttProtocolVersion.V311, KeepAliveSeconds = 1, AutoReconnect = false };
        await using var client = new Client(o);
        await client.ConnectAsync(Ct);
        client.IsConnected.Should().BeTrue();

        await WaitUntilAsync(() => !client.IsConnected, "the client gave up on the silent broker");
        lock (received)
        {
            received.Should().StartWith(new byte[] { 0xC0, 0x00 }, "a PINGREQ went out on idle");
        }

        await fakeBroker.WaitAsync(Deadline, Ct);
    }

    private sealed class FailOnceHandler : IMqttMessageHandler
    {
        private int _attempts;
        private int _handled;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Handled => Volatile.Read(ref _handled);

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                throw new InvalidOperationException("storage down");
            }

            Interlocked.Increment(ref _handled);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingHandler : IMqttMessageHandler
    {
        private readonly List<string> _seen = [];

        public int Count
        {
            get
            {
                lock (_seen)
                {
                    return _seen.Count;
                }
            }
        }

        public List<string> Snapshot()
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }

        public async ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            await Task.Yield(); // a real handler completes asynchronously; the views must still be valid
            string entry = System.Text.Encoding.UTF8.GetString(message.TopicUtf8.Span) + "=" + System.Text.Encoding.UTF8.GetString(message.Payload.Span);
            lock (_seen)
            {
                _seen.Add(entry);
            }
        }
    }
}
