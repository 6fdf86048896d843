using System.Collections.Concurrent;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// An in-process consumer that defers acknowledgements until its data is durable: the broker keeps reading the
/// publisher's connection, sends each PUBACK/PUBREC only once its message is durable and in the order the
/// messages came ([MQTT-4.6.0-2], [MQTT-4.6.0-3]), and never acknowledges a message whose storage failed: it closes
/// the connection, so the client re-sends it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerDeferredAckTests
{
    [Fact]
    public async Task DeferredAcks_AreSentWhenDurable_InArrivalOrder_WhileLaterMessagesAreStillTaken()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new DeferringHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("data/#", handler);
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, new MqttConnectPacket { ClientId = "deferred", ProtocolVersion = MqttProtocolVersion.V500 });
        await using RawMqttClient owned = client;

        await client.PublishAsync("data/1", "one", MqttQualityOfService.AtLeastOnce, packetId: 1);
        await client.PublishAsync("data/2", "two", MqttQualityOfService.AtLeastOnce, packetId: 2);
        await client.PublishAsync("data/3", "three", MqttQualityOfService.ExactlyOnce, packetId: 3);
        await Poll.UntilAsync(() => handler.Taken.Count == 3, "the handler took all three messages while none was durable");
        handler.Taken.Should().Equal(["data/1", "data/2", "data/3"]);

        // The second and third become durable first: still nothing, since the first must be acknowledged first.
        handler.Complete("data/2");
        handler.Complete("data/3");
        Func<Task> early = () => client.ReceiveAsync(TimeSpan.FromMilliseconds(500));
        await early.Should().ThrowAsync<OperationCanceledException>("no acknowledgement may overtake the first one's");

        handler.Complete("data/1");
        var acks = new List<MqttAckPacket>();
        for (int i = 0; i < 3; i++)
        {
            acks.Add((MqttAckPacket)await client.ReceiveAsync());
        }

        acks.Select(a => (a.Type, a.PacketId)).Should().Equal([(MqttPacketType.PubAck, (ushort)1), (MqttPacketType.PubAck, (ushort)2), (MqttPacketType.PubRec, (ushort)3)]);
    }

    [Fact]
    public async Task ADeferredAck_WhoseStorageFails_IsNeverSent_AndTheConnectionCloses()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new DeferringHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("data/#", handler);
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, new MqttConnectPacket { ClientId = "failing" });
        await using RawMqttClient owned = client;

        await client.PublishAsync("data/ok", "1", MqttQualityOfService.AtLeastOnce, packetId: 10);
        await client.PublishAsync("data/lost", "2", MqttQualityOfService.AtLeastOnce, packetId: 11);
        await Poll.UntilAsync(() => handler.Taken.Count == 2, "both messages taken");
        handler.Complete("data/ok");
        ((MqttAckPacket)await client.ReceiveAsync()).PacketId.Should().Be(10);

        handler.Fail("data/lost");
        (await client.WaitForCloseAsync()).Should().BeTrue("a message that could not be stored is not acknowledged: the connection closes for the client to re-send it");
    }

    [Fact]
    public async Task QoS0AndUndeferredMessages_AreAcknowledgedAtOnce()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new DeferringHandler { DeferNothing = true };
        using IDisposable subscription = host.Broker.SubscribeInProcess("data/#", handler);
        (RawMqttClient client, _) = await RawMqttClient.ConnectAsync(host.Port, new MqttConnectPacket { ClientId = "plain" });
        await using RawMqttClient owned = client;

        await client.PublishAsync("data/q0", "0");
        await client.PublishAsync("data/q1", "1", MqttQualityOfService.AtLeastOnce, packetId: 5);
        ((MqttAckPacket)await client.ReceiveAsync()).PacketId.Should().Be(5);
        handler.Taken.Should().Equal(["data/q0", "data/q1"]);
        handler.Acknowledgements.Should().Equal([false, true], "only the QoS 1 message carries an acknowledgement to defer");
    }

    /// <summary>Takes each message at once and defers its acknowledgement until the test completes or fails it.</summary>
    private sealed class DeferringHandler : IMqttMessageHandler
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _durable = new(StringComparer.Ordinal);

        public bool DeferNothing { get; init; }

        public ConcurrentQueue<string> Taken { get; } = new();

        public ConcurrentQueue<bool> Acknowledgements { get; } = new();

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            string topic = System.Text.Encoding.UTF8.GetString(message.TopicUtf8.Span);
            Taken.Enqueue(topic);
            Acknowledgements.Enqueue(message.Acknowledgement is not null);
            if (!DeferNothing && message.Acknowledgement is { } ack)
            {
                ack.DeferUntil(_durable.GetOrAdd(topic, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task);
            }

            return ValueTask.CompletedTask;
        }

        public void Complete(string topic) => _durable.GetOrAdd(topic, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public void Fail(string topic) => _durable.GetOrAdd(topic, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetException(new IOException("disk full"));
    }
}
