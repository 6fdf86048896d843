using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>Debian's mosquitto_pub / mosquitto_sub (3.1.1 and 5.0) against our broker.</summary>
[Trait("Category", "Integration")]
public sealed class MqttBrokerMosquittoClientTests
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Subscribe_PlusAndHashWildcards_ReceivesOnlyMatchingTopics(string version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using ExternalProcess sub = MosquittoCli.Subscribe(host.Port, version, "-t", "sensors/+/s1/#", "-t", "notices/#");
        await host.WaitForSubscriberAsync("notices/x");

        foreach (string topic in new[] { "sensors/danang/s1/telemetry", "sensors/danang/s2/telemetry", "sensors/hanoi/s1", "other/s1/x", "$SYS/x", "notices/danang/zone" })
        {
            (int code, string output) = await MosquittoCli.PublishAsync(host.Port, version, "-q", "1", "-t", topic, "-m", "m");
            code.Should().Be(0, output);
        }

        await Poll.UntilAsync(() => MosquittoCli.Lines(sub).Length >= 3, "three messages");
        MosquittoCli.Lines(sub).Should().Equal("sensors/danang/s1/telemetry m", "sensors/hanoi/s1 m", "notices/danang/zone m");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Subscribe_AfterRetainedPublishes_ReceivesTheLastRetainedMessageFlaggedRetained(string version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        (await MosquittoCli.PublishAsync(host.Port, version, "-r", "-q", "1", "-t", "notices/danang/camle", "-m", "raised")).ExitCode.Should().Be(0);
        (await MosquittoCli.PublishAsync(host.Port, version, "-r", "-q", "1", "-t", "notices/danang/camle", "-m", "resolved")).ExitCode.Should().Be(0);
        (await MosquittoCli.PublishAsync(host.Port, version, "-r", "-q", "1", "-t", "notices/danang/gone", "-m", "x")).ExitCode.Should().Be(0);
        (await MosquittoCli.PublishAsync(host.Port, version, "-r", "-q", "1", "-t", "notices/danang/gone", "-n")).ExitCode.Should().Be(0);

        await using ExternalProcess sub = MosquittoCli.Subscribe(host.Port, version, "-t", "notices/#", "-F", "%t %p r=%r", "-C", "1");

        await Poll.UntilAsync(() => MosquittoCli.Lines(sub).Length > 0 && !sub.IsRunning, "mosquitto_sub -C 1 to print and exit");
        MosquittoCli.Lines(sub).Should().Equal("notices/danang/camle resolved r=1");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Publish_Qos1AndQos2_DeliveredOnceAtTheGrantedQos(string version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        await using ExternalProcess sub = MosquittoCli.Subscribe(host.Port, version, "-q", "2", "-t", "q/#", "-F", "%t %p q=%q");
        await host.WaitForSubscriberAsync("q/x");

        (int c1, string o1) = await MosquittoCli.PublishAsync(host.Port, version, "-q", "1", "-t", "q/1", "-m", "one");
        (int c2, string o2) = await MosquittoCli.PublishAsync(host.Port, version, "-q", "2", "-t", "q/2", "-m", "two");

        c1.Should().Be(0, o1);
        c2.Should().Be(0, o2);
        await Poll.UntilAsync(() => MosquittoCli.Lines(sub).Length >= 2, "two messages");
        MosquittoCli.Lines(sub).Should().Equal("q/1 one q=1", "q/2 two q=2");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Will_ClientKilledWithoutDisconnect_IsPublishedToInProcessSubscriber(string version)
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/+/+/status", handler);
        ExternalProcess device = MosquittoCli.Subscribe(host.Port, version, "-i", "dn-camle-wl", "-t", "cmd/dn-camle-wl", "--will-topic", "sensors/danang/dn-camle-wl/status", "--will-payload", "offline", "--will-qos", "1", "--will-retain");
        await host.WaitForSubscriberAsync("cmd/dn-camle-wl");

        await device.DisposeAsync();

        await Poll.UntilAsync(() => !handler.Messages.IsEmpty, "the will");
        handler.Messages.Should().Equal("sensors/danang/dn-camle-wl/status offline");
        await using ExternalProcess late = MosquittoCli.Subscribe(host.Port, version, "-t", "sensors/danang/+/status", "-C", "1");
        await Poll.UntilAsync(() => MosquittoCli.Lines(late).Length > 0 && !late.IsRunning, "the retained will");
        MosquittoCli.Lines(late).Should().Equal("sensors/danang/dn-camle-wl/status offline");
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Connect_WrongPasswordFromMosquittoPasswdFile_IsRefused(string version)
    {
        using var dir = new TempDirectory("mqtt-auth");
        string passwd = await CreatePasswordFileAsync(dir.Path, ("dn-camle-wl", "s3cret"));
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = "false",
            ["Resilience:Mqtt:Broker:PasswordFile"] = passwd,
        });

        (int wrong, string wrongOutput) = await MosquittoCli.PublishAsync(host.Port, version, "-u", "dn-camle-wl", "-P", "nope", "-t", "t", "-m", "m");
        (int anonymous, _) = await MosquittoCli.PublishAsync(host.Port, version, "-t", "t", "-m", "m");
        (int right, string rightOutput) = await MosquittoCli.PublishAsync(host.Port, version, "-u", "dn-camle-wl", "-P", "s3cret", "-t", "sensors/danang/dn-camle-wl/telemetry", "-m", "m");

        wrong.Should().NotBe(0);
        wrongOutput.ToUpperInvariant().Should().ContainAny("NOT AUTHORI", "BAD USER NAME OR PASSWORD", "REFUSED");
        anonymous.Should().NotBe(0);
        right.Should().Be(0, rightOutput);
        host.Broker.GetMetricsSnapshot().Rejected.Should().Be(2);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Acl_DevicePublishesToAnotherSensorsTopic_IsRefusedAndItsOwnIsDelivered(string version)
    {
        using var dir = new TempDirectory("mqtt-acl");
        string passwd = await CreatePasswordFileAsync(dir.Path, ("dn-camle-wl", "a"), ("hn-hoankiem-aq", "b"));
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = "false",
            ["Resilience:Mqtt:Broker:PasswordFile"] = passwd,
            ["Resilience:Mqtt:Broker:Acl:0:Topic"] = "sensors/+/%u/#",
            ["Resilience:Mqtt:Broker:Acl:0:Access"] = "Write",
            ["Resilience:Mqtt:Broker:Acl:1:Topic"] = "cmd/%c",
            ["Resilience:Mqtt:Broker:Acl:1:Access"] = "Read",
        });
        var handler = new RecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/#", handler);

        (int denied, string deniedOutput) = await MosquittoCli.PublishAsync(host.Port, version, "-u", "dn-camle-wl", "-P", "a", "-q", "1", "-t", "sensors/hanoi/hn-hoankiem-aq/telemetry", "-m", "forged");
        (int allowed, string allowedOutput) = await MosquittoCli.PublishAsync(host.Port, version, "-u", "dn-camle-wl", "-P", "a", "-q", "1", "-t", "sensors/danang/dn-camle-wl/telemetry", "-m", "own");

        allowed.Should().Be(0, allowedOutput);
        await Poll.UntilAsync(() => !handler.Messages.IsEmpty, "the allowed message");
        handler.Messages.Should().Equal("sensors/danang/dn-camle-wl/telemetry own");
        host.Broker.GetMetricsSnapshot().Rejected.Should().Be(1, deniedOutput + " exit " + denied);
    }

    [Fact]
    public async Task InProcessSubscriber_MosquittoPublishesQos1_ReceivesPayloadAndQos()
    {
        await using MqttBrokerHost host = await MqttBrokerHost.StartAsync();
        var handler = new QosRecordingHandler();
        using IDisposable subscription = host.Broker.SubscribeInProcess("sensors/+/+/telemetry", handler);

        (int code, string output) = await MosquittoCli.PublishAsync(host.Port, "mqttv5", "-q", "1", "-t", "sensors/danang/s1/telemetry", "-m", "{\"seq\":1}");

        code.Should().Be(0, output);
        handler.Received.Should().Equal("sensors/danang/s1/telemetry {\"seq\":1} AtLeastOnce");
        MqttBrokerMetricsSnapshot metrics = host.Broker.GetMetricsSnapshot();
        metrics.Received.Should().Be(1);
        metrics.Delivered.Should().Be(1);
    }

    private static async Task<string> CreatePasswordFileAsync(string directory, params (string User, string Password)[] users)
    {
        string path = Path.Combine(directory, "passwd");
        string tool = ExternalProcess.Which("mosquitto_passwd") ?? throw new InvalidOperationException("mosquitto_passwd is not installed.");
        bool first = true;
        foreach ((string user, string password) in users)
        {
            string[] args = first ? ["-c", "-b", path, user, password] : ["-b", path, user, password];
            await using ExternalProcess p = ExternalProcess.Start(tool, args);
            await Poll.UntilAsync(() => !p.IsRunning, "mosquitto_passwd");
            first = false;
        }

        (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Should().Contain("$7$");
        return path;
    }

    private sealed class QosRecordingHandler : IMqttMessageHandler
    {
        public List<string> Received { get; } = [];

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                Received.Add($"{System.Text.Encoding.UTF8.GetString(message.TopicUtf8.Span)} {System.Text.Encoding.UTF8.GetString(message.Payload.Span)} {message.Qos}");
            }

            return ValueTask.CompletedTask;
        }
    }
}
