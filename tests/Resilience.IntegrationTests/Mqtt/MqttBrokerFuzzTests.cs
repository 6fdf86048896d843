using System.Buffers;
using System.Net.Sockets;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Random, truncated and mutated packets over sockets while a well-behaved subscriber keeps receiving a steady stream.</summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerFuzzTests
{
    [Fact]
    public async Task FuzzedConnections_WhileAStreamFlows_SubscriberGetsEveryMessageAndBrokerStaysUp()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:MaxPacketSize"] = "65536",
            ["Resilience:Mqtt:Broker:ConnectTimeout"] = "00:00:02",
        });
        (RawMqttClient subscriber, _) = await RawMqttClient.ConnectAsync(host.Port, new MqttConnectPacket { ClientId = "steady-sub", ProtocolVersion = MqttProtocolVersion.V500 });
        await using RawMqttClient owned = subscriber;
        await subscriber.SubscribeAsync(1, "stream/#", MqttQualityOfService.AtLeastOnce);
        (await subscriber.ReceiveAsync()).Should().BeOfType<MqttSubAckPacket>();

        using var fuzzDone = new CancellationTokenSource();
        Task<int> stream = Task.Run(
            async () =>
            {
                int i = 0;
                while (!fuzzDone.IsCancellationRequested)
                {
                    await host.Broker.PublishAsync("stream/seq", System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), MqttQualityOfService.AtLeastOnce, false, ct);
                    i++;
                    await Task.Delay(2, ct);
                }

                await host.Broker.PublishAsync("stream/seq", "end"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, ct);
                return i;
            },
            ct);
        Task<int> receiving = ReceiveSequenceAsync(subscriber);

        int packetsSent = await FuzzAsync(host.Port, connections: 400, seed: 7, ct);
        await fuzzDone.CancelAsync();

        int published = await stream;
        int received = await receiving;
        received.Should().Be(published);
        published.Should().BeGreaterThan(50);
        packetsSent.Should().BeGreaterThan(2000);
        host.Broker.GetMetricsSnapshot().Rejected.Should().BeGreaterThan(100);
        (RawMqttClient after, MqttConnAckPacket ack) = await RawMqttClient.ConnectAsync(host.Port, new MqttConnectPacket { ClientId = "after-fuzz" });
        await using RawMqttClient owned2 = after;
        ack.ReasonCode.Should().Be(0);
    }

    private static async Task<int> ReceiveSequenceAsync(RawMqttClient subscriber)
    {
        int expected = 0;
        while (true)
        {
            object packet = await subscriber.ReceiveAsync();
            if (packet is ReceivedPublish p)
            {
                await subscriber.SendAsync(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubAck, p.PacketId), MqttProtocolVersion.V500));
                if (p.Payload == "end")
                {
                    return expected;
                }

                int seq = int.Parse(p.Payload, System.Globalization.CultureInfo.InvariantCulture);
                seq.Should().Be(expected);
                expected++;
            }
        }
    }

    private static async Task<int> FuzzAsync(int port, int connections, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        byte[][] seeds = Seeds();
        int sent = 0;
        for (int c = 0; c < connections; c++)
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", port, ct);
            NetworkStream net = tcp.GetStream();
            var writer = new ArrayBufferWriter<byte>();
            if (random.Next(3) > 0)
            {
                var version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
                MqttPacketEncoder.WriteConnect(writer, new MqttConnectPacket { ClientId = "fuzz-" + c.ToString(System.Globalization.CultureInfo.InvariantCulture), ProtocolVersion = version });
            }

            int packets = 4 + random.Next(8);
            for (int i = 0; i < packets; i++)
            {
                writer.Write(Mutate(random, seeds[random.Next(seeds.Length)]));
            }

            sent += packets;
            try
            {
                await net.WriteAsync(writer.WrittenMemory, ct);
                if (random.Next(4) == 0)
                {
                    // Sometimes read what comes back (CONNACK, acks, DISCONNECT) before closing.
                    using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    readTimeout.CancelAfter(50);
                    byte[] sink = new byte[4096];
                    try
                    {
                        while (await net.ReadAsync(sink, readTimeout.Token) > 0)
                        {
                        }
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                    }
                }
            }
            catch (IOException)
            {
                // The broker may close first: that is the point.
            }
        }

        return sent;
    }

    private static byte[][] Seeds()
    {
        var list = new List<byte[]>();
        foreach (MqttProtocolVersion v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "fuzz/a"u8, "payload"u8, MqttQualityOfService.AtMostOnce, false, false, 0)));
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "fuzz/b"u8, "payload"u8, MqttQualityOfService.AtLeastOnce, true, false, 3)));
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "fuzz/c"u8, "forged"u8, MqttQualityOfService.ExactlyOnce, false, false, 4)));
            list.Add(Encode(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 2, Subscriptions = [new MqttSubscription { Filter = "fuzz/#", Qos = MqttQualityOfService.ExactlyOnce }] }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteUnsubscribe(w, new MqttUnsubscribePacket { PacketId = 5, Filters = ["fuzz/#"] }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubRel, 4), v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteConnect(w, new MqttConnectPacket { ClientId = "fuzz-second-connect", ProtocolVersion = v })));
        }

        list.Add(Encode(MqttPacketEncoder.WritePingReq));
        return [.. list];
    }

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                return bytes;
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                return bytes.AsSpan(0, random.Next(1, bytes.Length)).ToArray();
            case 3:
                if (bytes.Length > 2)
                {
                    bytes[2 + random.Next(bytes.Length - 2)] = (byte)random.Next(256);
                }

                return bytes;
            default:
                byte[] r = new byte[random.Next(1, 40)];
                random.NextBytes(r);
                return r;
        }
    }
}
