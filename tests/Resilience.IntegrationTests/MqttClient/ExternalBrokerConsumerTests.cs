using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;
using static Resilience.IntegrationTests.MqttClient.MqttClientTestHelpers;
using Client = Resilience.Ingest.Mqtt.Client.MqttClient;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>The silo's consumer of an external broker, hosted as the silo hosts it, against a real mosquitto.</summary>
[Trait("Category", "Integration")]
public sealed class ExternalBrokerConsumerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(int port, IMqttMessageHandler handler, string clientId, params (string Key, string Value)[] extra)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:External:Host"] = "127.0.0.1",
            ["Resilience:Mqtt:External:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Resilience:Mqtt:External:ClientId"] = clientId,
        };
        foreach ((string key, string value) in extra)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(handler);
        builder.AddExternalMqttConsumer();
        return builder.Build();
    }

    [Fact]
    public async Task Consumer_SharedGroupOfTwoSilos_HandlersGetEveryTelemetryAndStatusMessageOnce()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handlerA = new CollectingHandler();
        var handlerB = new CollectingHandler();
        using IHost siloA = BuildHost(broker.Port, handlerA, "silo-a");
        using IHost siloB = BuildHost(broker.Port, handlerB, "silo-b");
        await siloA.StartAsync(Ct);
        await siloB.StartAsync(Ct);
        await using Client device = await ConnectAsync(Options(broker, MqttProtocolVersion.V311, "dn-camle-wl"), Ct);

        // Subscriptions are made in the background: probe until both silos receive.
        int probe = 0;
        await WaitUntilAsync(
            () =>
            {
                device.PublishAsync($"sensors/danang/probe-{probe++}/status", Bytes("online"), MqttQualityOfService.AtLeastOnce).AsTask().Wait(Ct);
                return !handlerA.Seen.IsEmpty && !handlerB.Seen.IsEmpty;
            },
            "both silos are subscribed");

        for (int i = 0; i < 100; i++)
        {
            await device.PublishAsync("sensors/danang/dn-camle-wl/telemetry", Bytes($"{{\"seq\":{i}}}"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        }

        await device.PublishAsync("alerts/danang/x", Bytes("not ours"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        await device.PublishAsync("sensors/danang/dn-camle-wl/status", Bytes("offline"), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        await WaitUntilAsync(() => handlerA.Real().Count + handlerB.Real().Count >= 101, "all messages were handled");
        await Task.Delay(200, Ct);

        string[] all = [.. handlerA.Real(), .. handlerB.Real()];
        all.Should().HaveCount(101).And.OnlyHaveUniqueItems();
        all.Should().Contain("sensors/danang/dn-camle-wl/status offline").And.NotContain(s => s.StartsWith("alerts/", StringComparison.Ordinal));
        handlerA.Real().Should().NotBeEmpty();
        handlerB.Real().Should().NotBeEmpty();

        await siloA.StopAsync(Ct);
        await siloB.StopAsync(Ct);
    }

    [Fact]
    public async Task AddExternalMqttConsumer_BadSharedGroup_FailsAtStart()
    {
        using IHost host = BuildHost(1883, new CollectingHandler(), "x", ("Resilience:Mqtt:External:SharedGroup", "a/b"));

        Func<Task> act = () => host.StartAsync(Ct);

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("SharedGroup");
    }

    private sealed class CollectingHandler : IMqttMessageHandler
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        /// <summary>What was handled, without the subscription probes.</summary>
        public List<string> Real() => Seen.Where(s => !s.Contains("/probe-", StringComparison.Ordinal)).ToList();

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            Seen.Enqueue(Encoding.UTF8.GetString(message.TopicUtf8.Span) + " " + Encoding.UTF8.GetString(message.Payload.Span));
            return ValueTask.CompletedTask;
        }
    }
}
