using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Resilience.IntegrationTests.MqttClient;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// Our broker held to account by an independent client implementation, MQTTnet 5: QoS 0/1/2 on 3.1.1 and 5.0,
/// retained messages, wills and persistent sessions, each seen from MQTTnet's side of the wire.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerMqttNetClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 0)]
    [InlineData(MqttProtocolVersion.V311, 1)]
    [InlineData(MqttProtocolVersion.V311, 2)]
    [InlineData(MqttProtocolVersion.V500, 0)]
    [InlineData(MqttProtocolVersion.V500, 1)]
    [InlineData(MqttProtocolVersion.V500, 2)]
    public async Task Publish_EachQosAndVersion_SubscriberGetsAllInOrderAtThatQos(MqttProtocolVersion version, int qos)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using MqttNetTestClient subscriber = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "sub", version), Ct);
        await subscriber.SubscribeAsync("sensors/danang/+/telemetry", 2, Ct);
        await using MqttNetTestClient publisher = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "pub", version), Ct);

        for (int i = 0; i < 50; i++)
        {
            MqttClientPublishResult result = await publisher.PublishAsync("sensors/danang/dn-camle-wl/telemetry", $"m{i}", qos, cancellationToken: Ct);
            result.IsSuccess.Should().BeTrue($"the broker acknowledges publish {i} ({result.ReasonCode})");
        }

        List<MqttNetTestClient.Received> got = await subscriber.ReadAsync(50);
        got.Select(m => m.Payload).Should().Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"));
        got.Should().OnlyContain(m => m.Qos == qos && !m.Retain && m.Topic == "sensors/danang/dn-camle-wl/telemetry");
        await Task.Delay(200, Ct);
        subscriber.Pending.Should().Be(0, "QoS 1/2 flows deliver no duplicates to a connected subscriber");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_NewSubscriberGetsTheLastOneFlaggedRetained_EmptyPayloadClearsIt(MqttProtocolVersion version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using MqttNetTestClient publisher = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "pub", version), Ct);
        await publisher.PublishAsync("sensors/hanoi/hn-longbien-wl/status", "online", 1, retain: true, Ct);
        await publisher.PublishAsync("sensors/hanoi/hn-longbien-wl/status", "offline", 1, retain: true, Ct);

        await using (MqttNetTestClient first = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "first", version), Ct))
        {
            await first.SubscribeAsync("sensors/hanoi/+/status", 1, Ct);
            MqttNetTestClient.Received retained = (await first.ReadAsync(1))[0];
            retained.Payload.Should().Be("offline");
            retained.Retain.Should().BeTrue("[MQTT-3.3.1-8] a retained message sent on a new subscription has RETAIN set");
        }

        await publisher.Client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic("sensors/hanoi/hn-longbien-wl/status").WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        await using MqttNetTestClient second = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "second", version), Ct);
        await second.SubscribeAsync("sensors/hanoi/+/status", 1, Ct);
        Func<Task> none = () => second.ReadAsync(1, TimeSpan.FromSeconds(1));
        await none.Should().ThrowAsync<TimeoutException>("[MQTT-3.3.1-10] an empty retained payload removes the retained message");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_ConnectionDroppedWithoutDisconnect_IsPublished_CleanDisconnectIsNot(MqttProtocolVersion version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using MqttNetTestClient watcher = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "watcher", version), Ct);
        await watcher.SubscribeAsync("sensors/+/+/status", 1, Ct);

        MqttClientOptionsBuilder WithWill(string id) => MqttNetTestClient.Options(host.Port, id, version)
            .WithWillTopic($"sensors/danang/{id}/status").WithWillPayload("offline").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

        MqttNetTestClient polite = await MqttNetTestClient.ConnectAsync(WithWill("dn-polite"), Ct);
        await polite.DisposeAsync(); // DISCONNECT (normal): [MQTT-3.14.4-3] the will is discarded
        MqttNetTestClient dropped = await MqttNetTestClient.ConnectAsync(WithWill("dn-dropped"), Ct);
        dropped.Client.Dispose(); // closes the socket without DISCONNECT, as a device losing power

        MqttNetTestClient.Received will = (await watcher.ReadAsync(1))[0];
        will.Topic.Should().Be("sensors/danang/dn-dropped/status");
        will.Payload.Should().Be("offline");
        Func<Task> more = () => watcher.ReadAsync(1, TimeSpan.FromSeconds(1));
        await more.Should().ThrowAsync<TimeoutException>("the politely disconnected client's will is not published");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PersistentSession_MessagesPublishedWhileAway_DeliveredOnReconnectWithSessionPresent(MqttProtocolVersion version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        MqttClientOptionsBuilder Persistent() => version == MqttProtocolVersion.V500
            ? MqttNetTestClient.Options(host.Port, "ops-console", version).WithCleanStart(false).WithSessionExpiryInterval(300)
            : MqttNetTestClient.Options(host.Port, "ops-console", version).WithCleanSession(false);

        await using (MqttNetTestClient first = await MqttNetTestClient.ConnectAsync(Persistent(), Ct))
        {
            await first.SubscribeAsync("alerts/#", 1, Ct);
        }

        await using (MqttNetTestClient silo = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(host.Port, "silo", version), Ct))
        {
            for (int i = 0; i < 10; i++)
            {
                await silo.PublishAsync($"alerts/hanoi/z{i}", $"a{i}", 1, cancellationToken: Ct);
            }
        }

        await using MqttNetTestClient again = await MqttNetTestClient.ConnectAsync(Persistent(), Ct);
        again.ConnectResult.IsSessionPresent.Should().BeTrue("[MQTT-3.2.2-2] a resumed session is reported present");
        List<MqttNetTestClient.Received> queued = await again.ReadAsync(10);
        queued.Select(m => m.Payload).Should().Equal(Enumerable.Range(0, 10).Select(i => $"a{i}"));
    }
}
