using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.IntegrationTests.EndToEnd;
using Resilience.IntegrationTests.Mqtt;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.MqttClient;

/// <summary>
/// The silo's MQTTnet-based consumer of (and publisher to) an external broker, hosted as the silo hosts it, against
/// a real mosquitto fed by Debian's <c>mosquitto_pub</c> and by MQTTnet devices.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExternalBrokerConsumerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consumer_MosquittoPubEachVersionAndQos_HandlerGetsTopicPayloadAndQos()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handler = new CollectingHandler();
        using IHost silo = BuildHost(broker.Port, handler, "silo-qos", ("Resilience:Mqtt:External:Qos", "2"));
        await silo.StartAsync(Ct);
        await WaitSubscribedAsync(silo);

        foreach (bool mqtt5 in new[] { false, true })
        {
            for (int qos = 0; qos <= 2; qos++)
            {
                string payload = $"{{\"seq\":{qos},\"v\":\"{(mqtt5 ? "mqttv5" : "mqttv311")}\"}}";
                await MosquittoClients.PublishAsync(broker.Port, "sensors/danang/dn-camle-wl/telemetry", payload, qos, mqtt5, cancellationToken: Ct);
                await Poll.UntilAsync(() => handler.Seen.Any(s => s.Payload == payload), $"the {payload} message arrives");
                handler.Seen.Single(s => s.Payload == payload).Qos.Should().Be((MqttQualityOfService)qos, "subscribed at QoS 2, delivered at the publish QoS");
            }
        }

        handler.Seen.Should().HaveCount(6).And.OnlyContain(s => s.Topic == "sensors/danang/dn-camle-wl/telemetry");
        await silo.StopAsync(Ct);
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
        await WaitSubscribedAsync(siloA);
        await WaitSubscribedAsync(siloB);
        await using MqttNetTestClient device = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(broker.Port, "dn-camle-wl", MqttProtocolVersion.V311), Ct);

        for (int i = 0; i < 100; i++)
        {
            await device.PublishAsync("sensors/danang/dn-camle-wl/telemetry", $"{{\"seq\":{i}}}", 1, cancellationToken: Ct);
        }

        await device.PublishAsync("alerts/danang/x", "not ours", 1, cancellationToken: Ct);
        await device.PublishAsync("sensors/danang/dn-camle-wl/status", "offline", 1, cancellationToken: Ct);
        await Poll.UntilAsync(() => handlerA.Seen.Count + handlerB.Seen.Count >= 101, "all messages were handled");
        await Task.Delay(200, Ct);

        string[] all = [.. handlerA.Lines(), .. handlerB.Lines()];
        all.Should().HaveCount(101).And.OnlyHaveUniqueItems();
        all.Should().Contain("sensors/danang/dn-camle-wl/status offline").And.NotContain(s => s.StartsWith("alerts/", StringComparison.Ordinal));
        handlerA.Seen.Should().NotBeEmpty("the group splits the load");
        handlerB.Seen.Should().NotBeEmpty("the group splits the load");

        await siloA.StopAsync(Ct);
        await siloB.StopAsync(Ct);
    }

    /// <summary>
    /// The attack from the audit: an anonymous or a device's <c>$share/resilience/…</c> subscription took half the
    /// readings, which were then lost. mosquitto 2.0.11's <c>acl_file</c> cannot refuse a SUBSCRIBE (it checks only at
    /// delivery, so the intruder's share is dropped); its dynamic-security plugin checks the full
    /// <c>$share/{group}/{filter}</c> at SUBSCRIBE, so the group is restricted to the silo's user there.
    /// </summary>
    [Fact]
    public async Task SharedGroup_RestrictedToTheSilosUser_IntruderAndAnonymousAreRefusedAndTheSiloGetsEverything()
    {
        await using SecuredMosquitto secured = await SecuredMosquitto.StartAsync();
        MosquittoProcess broker = secured.Broker;

        Func<Task> anonymous = () => MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(broker.Port, "anon"), Ct);
        (await anonymous.Should().ThrowAsync<Exception>("anonymous access is off")).Which.Should().Match<Exception>(
            e => e is MqttConnectingFailedException || e.Message.Contains("CONNECT refused", StringComparison.Ordinal));
        await using MqttNetTestClient intruder = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(broker.Port, "intruder").WithCredentials("hn-intruder", "intruder-pw"), Ct);
        Func<Task> steal = () => intruder.SubscribeAsync("$share/resilience/sensors/+/+/telemetry", 1, Ct);
        (await steal.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("NotAuthorized");

        var handler = new CollectingHandler();
        using IHost silo = BuildHost(broker.Port, handler, "silo-secure",
            ("Resilience:Mqtt:External:Username", "silo"), ("Resilience:Mqtt:External:Password", "silo-pw"));
        await silo.StartAsync(Ct);
        await WaitSubscribedAsync(silo);
        await using MqttNetTestClient device = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(broker.Port, "dn-camle-wl").WithCredentials("dn-camle-wl", "device-pw"), Ct);
        for (int i = 0; i < 40; i++)
        {
            MqttClientPublishResult published = await device.PublishAsync("sensors/danang/dn-camle-wl/telemetry", $"{{\"seq\":{i}}}", 1, cancellationToken: Ct);
            published.ReasonCode.Should().Be(MqttClientPublishReasonCode.Success, "the device may publish under its own id");
        }

        await Poll.UntilAsync(() => handler.Seen.Count >= 40, "the silo receives every reading");
        handler.Lines().Should().OnlyHaveUniqueItems().And.HaveCount(40);
        intruder.Pending.Should().Be(0);

        // A silo configured with a group its user may not join fails to subscribe (and keeps retrying), it does not
        // silently consume nothing.
        var wrongGroup = new CollectingHandler();
        using IHost misconfigured = BuildHost(broker.Port, wrongGroup, "silo-wrong-group",
            ("Resilience:Mqtt:External:Username", "silo"), ("Resilience:Mqtt:External:Password", "silo-pw"), ("Resilience:Mqtt:External:SharedGroup", "other"));
        await misconfigured.StartAsync(Ct);
        await Task.Delay(1500, Ct);
        misconfigured.Services.GetRequiredService<ExternalBrokerConsumer>().Connects.Should().Be(0, "the refused SUBSCRIBE counts as a failed connection");
        await misconfigured.StopAsync(Ct);
        await silo.StopAsync(Ct);
    }

    /// <summary>
    /// docker-compose.yml's mosquitto, started from its own files (dashboards/compose/mosquitto.conf and the ACL
    /// mosquitto-acl.json, with a password file the silo's <c>device-password</c> code wrote), replaying the audit's
    /// attacks on the external broker: anonymous clients are refused; a device with its password publishes only its own
    /// topics; a device or any other non-silo user asking for the silo's shared group is refused at SUBSCRIBE, so it
    /// cannot take a share of the readings; and the silo, configured as compose configures it, gets every reading.
    /// </summary>
    [Fact]
    public async Task ComposeMosquitto_ReplaysTheAuditsAttacks_OnlyTheSiloJoinsTheSharedGroup_AndGetsEveryReading()
    {
        await using ComposeMosquitto compose = await ComposeMosquitto.StartAsync(
            ("silo", "silo-pw"), ("dn-camle-wl", "device-pw"), ("hn-longbien-wl", "other-pw"), ("operations", "ops-pw"), ("not-in-acl", "ghost-pw"));
        int port = compose.Broker.Port;

        // 1. Anonymous: refused at CONNECT (the audit's anonymous publish of a 2.7 m reading and its `#` subscription).
        Func<Task> anonymous = () => MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(port, "anon"), Ct);
        (await anonymous.Should().ThrowAsync<Exception>("anonymous access is off")).Which.Should().Match<Exception>(
            e => e is MqttConnectingFailedException || e.Message.Contains("CONNECT refused", StringComparison.Ordinal));
        Func<Task> wrongPassword = () => MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(port, "guess").WithCredentials("dn-camle-wl", "guess"), Ct);
        await wrongPassword.Should().ThrowAsync<Exception>("a wrong password is refused");

        // 2. The silo, as compose configures it (user silo, the default shared group), and a device with its password.
        var handler = new CollectingHandler();
        using IHost silo = BuildHost(port, handler, "silo-compose",
            ("Resilience:Mqtt:External:Username", "silo"), ("Resilience:Mqtt:External:Password", "silo-pw"));
        await silo.StartAsync(Ct);
        await WaitSubscribedAsync(silo);
        await using MqttNetTestClient device = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(port, "dn-camle-wl").WithCredentials("dn-camle-wl", "device-pw"), Ct);
        (await device.PublishAsync("sensors/danang/dn-camle-wl/status", "online", 1, cancellationToken: Ct)).ReasonCode.Should().Be(MqttClientPublishReasonCode.Success);
        var refusedPublishes = new List<MqttClientPublishReasonCode>();
        foreach (string forged in new[] { "sensors/danang/dn-ainghia-wl/telemetry", "sensors/hanoi/dn-camle-wl/telemetry", "alerts/danang/dn-camle-wl", "sensors/danang/dn-camle-wl/command" })
        {
            refusedPublishes.Add((await device.PublishAsync(forged, "{\"values\":{\"water_level\":2.7}}", 1, cancellationToken: Ct)).ReasonCode);
        }

        refusedPublishes.Should().OnlyContain(c => c == MqttClientPublishReasonCode.NotAuthorized, "a device publishes only under its own province and id");

        // 3. Non-silo users asking for the shared group (or for everything) are refused at SUBSCRIBE.
        await using MqttNetTestClient intruder = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(port, "hn-longbien-wl").WithCredentials("hn-longbien-wl", "other-pw"), Ct);
        await using MqttNetTestClient operations = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(port, "ops-console").WithCredentials("operations", "ops-pw"), Ct);
        await using MqttNetTestClient unlisted = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(port, "not-in-acl").WithCredentials("not-in-acl", "ghost-pw"), Ct);
        var refusals = new List<string>();
        foreach ((MqttNetTestClient client, string filter) in new[]
        {
            (intruder, "$share/resilience/sensors/+/+/telemetry"), (intruder, "$share/resilience/sensors/#"), (intruder, "#"), (intruder, "sensors/danang/dn-camle-wl/command"),
            (operations, "$share/resilience/sensors/+/+/telemetry"), (unlisted, "$share/resilience/sensors/+/+/telemetry"), (unlisted, "alerts/#"),
        })
        {
            Func<Task> subscribe = () => client.SubscribeAsync(filter, 1, Ct);
            (await subscribe.Should().ThrowAsync<InvalidOperationException>($"{filter} is not this user's")).Which.Message.Should().Contain("NotAuthorized");
            refusals.Add(filter);
        }

        await operations.SubscribeAsync("sensors/#", 1, Ct);
        await intruder.SubscribeAsync("sensors/hanoi/hn-longbien-wl/command", 1, Ct);

        // 4. The silo gets every reading, once; the intruder got none; operations read them all.
        const int Readings = 50;
        for (int i = 0; i < Readings; i++)
        {
            (await device.PublishAsync("sensors/danang/dn-camle-wl/telemetry", $"{{\"seq\":{i}}}", 1, cancellationToken: Ct)).ReasonCode.Should().Be(MqttClientPublishReasonCode.Success);
        }

        await Poll.UntilAsync(() => handler.Seen.Count(s => s.Topic.EndsWith("/telemetry", StringComparison.Ordinal)) >= Readings, "the silo receives every reading");
        (await operations.ReadAsync(Readings)).Should().OnlyContain(r => r.Topic == "sensors/danang/dn-camle-wl/telemetry");
        await Task.Delay(300, Ct);
        handler.Lines().Should().Equal(
            new[] { "sensors/danang/dn-camle-wl/status online" }.Concat(Enumerable.Range(0, Readings).Select(i => $"sensors/danang/dn-camle-wl/telemetry {{\"seq\":{i}}}")),
            "the silo alone holds the shared group: nothing forged, nothing lost, nothing twice");
        intruder.Pending.Should().Be(0);
        unlisted.Pending.Should().Be(0);
        TestContext.Current.TestOutputHelper?.WriteLine($"compose mosquitto: anonymous and wrong password refused; {refusedPublishes.Count} forged publishes NotAuthorized; {refusals.Count} subscriptions refused ({string.Join(", ", refusals)}); silo got {handler.Seen.Count} of {Readings + 1}");
        await silo.StopAsync(Ct);
    }

    /// <summary>
    /// The compose ACL gives every sensor of the registry exactly its own topics under its own province (what the
    /// embedded broker's Device role enforces), so a sensor added to the registry is not silently locked out.
    /// </summary>
    [Fact]
    public void ComposeAcl_GivesEveryRegistrySensorOnlyItsOwnTopics()
    {
        Resilience.Silo.Registry.SensorRegistry registry = Resilience.Silo.Registry.RegistryLoader.LoadFile(RepositoryFiles.Registry);
        using var acl = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ComposeMosquitto.ComposeDirectory, "mosquitto-acl.json")));
        var roles = acl.RootElement.GetProperty("roles").EnumerateArray().ToDictionary(
            r => r.GetProperty("rolename").GetString()!,
            r => r.GetProperty("acls").EnumerateArray().Select(a => $"{a.GetProperty("acltype").GetString()} {a.GetProperty("topic").GetString()} {a.GetProperty("allow").GetBoolean()}").ToList());
        var clients = acl.RootElement.GetProperty("clients").EnumerateArray().ToDictionary(
            c => c.GetProperty("username").GetString()!,
            c => c.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("rolename").GetString()!).ToList());

        foreach (Resilience.Silo.Registry.SensorInfo sensor in registry.Sensors)
        {
            clients.Should().ContainKey(sensor.Id);
            clients[sensor.Id].Should().Equal("device:" + sensor.Id);
            roles["device:" + sensor.Id].Should().Equal(
                $"publishClientSend sensors/{sensor.Province}/{sensor.Id}/telemetry True",
                $"publishClientSend sensors/{sensor.Province}/{sensor.Id}/status True",
                $"subscribePattern sensors/{sensor.Province}/{sensor.Id}/command True");
        }

        acl.RootElement.GetProperty("defaultACLAccess").GetProperty("subscribe").GetBoolean().Should().BeFalse();
        acl.RootElement.GetProperty("defaultACLAccess").GetProperty("publishClientSend").GetBoolean().Should().BeFalse();
        roles.Where(r => r.Value.Any(a => a.Contains("$share/", StringComparison.Ordinal))).Select(r => r.Key).Should().Equal("silo");
        clients.Where(c => c.Value.Contains("silo")).Select(c => c.Key).Should().Equal("silo");
    }

    /// <summary>
    /// A mosquitto restart in the middle of a QoS 1 stream. With a plain subscription (<c>SharedGroup</c> empty) the
    /// device keeps publishing through the restart and nothing is lost: mosquitto restores the silo's session and
    /// subscription from its persistence. mosquitto 2.0.11 does not restore shared subscriptions, so readings published
    /// after its restart and before the silo has resubscribed have no subscriber; that variant holds the device until
    /// the consumer is back and shows that everything else (queued or in flight at the stop) still arrives.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Consumer_MosquittoRestartedDuringQos1Load_NothingIsLost(bool shared)
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        MosquittoClients.MakePersistenceWritable(broker);
        await broker.StopAsync();
        await broker.StartAgainAsync();
        var handler = new CollectingHandler { Delay = TimeSpan.FromMilliseconds(1) };
        using IHost silo = BuildHost(broker.Port, handler, "silo-restart", ("Resilience:Mqtt:External:SharedGroup", shared ? "resilience" : string.Empty));
        await silo.StartAsync(Ct);
        ExternalBrokerConsumer consumer = await WaitSubscribedAsync(silo);

        // The device resends until acknowledged (at least once); the silo must end up with every sequence number.
        const int total = 400;
        var gate = new PublishGate();
        Task publishing = PublishUntilAcknowledgedAsync(broker.Port, total, gate);
        await Poll.UntilAsync(() => handler.Seen.Count >= total / 4, "a quarter arrived before the restart");
        if (shared)
        {
            gate.Hold = true;
        }

        await broker.StopAsync();
        await Task.Delay(300, Ct);
        await broker.StartAgainAsync();
        await Poll.UntilAsync(() => consumer.Connects >= 2, "the consumer reconnected and resubscribed by itself");
        gate.Hold = false;
        await publishing;
        await Poll.UntilAsync(() => handler.DistinctPayloads() >= total, $"all {total} readings arrived after the restart", TimeSpan.FromSeconds(60))
            .ContinueWith(t => t.IsFaulted ? throw new TimeoutException($"{handler.DistinctPayloads()} of {total} distinct readings arrived; connects={consumer.Connects}\n{broker.Output}") : t, TaskScheduler.Default).Unwrap();

        handler.DistinctPayloads().Should().Be(total);
        await silo.StopAsync(Ct);
    }

    [Fact]
    public async Task Consumer_StoppedWhileReadingsArePublished_PersistentSessionDeliversThemAfterRestart()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var first = new CollectingHandler();
        using (IHost silo = BuildHost(broker.Port, first, "silo-persistent"))
        {
            await silo.StartAsync(Ct);
            await WaitSubscribedAsync(silo);
            await silo.StopAsync(Ct);
        }

        for (int i = 0; i < 20; i++)
        {
            await MosquittoClients.PublishAsync(broker.Port, "sensors/danang/dn-camle-wl/telemetry", $"{{\"seq\":{i}}}", 1, mqtt5: true, cancellationToken: Ct);
        }

        var second = new CollectingHandler();
        using IHost again = BuildHost(broker.Port, second, "silo-persistent");
        await again.StartAsync(Ct);
        await Poll.UntilAsync(() => second.Seen.Count >= 20, "the readings queued for the session arrive");
        second.Seen.Select(s => s.Payload).Should().Equal(Enumerable.Range(0, 20).Select(i => $"{{\"seq\":{i}}}"));
        await again.StopAsync(Ct);
    }

    [Fact]
    public async Task Consumer_SlowPipeline_AtMostReceiveMaximumUnacknowledged_AndEveryMessageArrivesInOrder()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handler = new CollectingHandler { Delay = TimeSpan.FromMilliseconds(5) };
        using IHost silo = BuildHost(broker.Port, handler, "silo-slow", ("Resilience:Mqtt:External:ReceiveMaximum", "4"));
        await silo.StartAsync(Ct);
        ExternalBrokerConsumer consumer = await WaitSubscribedAsync(silo);
        await using MqttNetTestClient device = await MqttNetTestClient.ConnectAsync(MqttNetTestClient.Options(broker.Port, "dn-fast"), Ct);

        const int total = 300;
        var publishes = new List<Task>();
        for (int i = 0; i < total; i++)
        {
            publishes.Add(device.PublishAsync("sensors/danang/dn-fast/telemetry", $"{{\"seq\":{i}}}", 1, cancellationToken: Ct));
        }

        await Task.WhenAll(publishes);
        await Poll.UntilAsync(() => handler.Seen.Count >= total, "the slow pipeline got through everything");

        handler.Seen.Select(s => s.Payload).Should().Equal(Enumerable.Range(0, total).Select(i => $"{{\"seq\":{i}}}"));
        consumer.PeakUnacknowledged.Should().BeInRange(1, 4 + 3, "the hand-off holds Receive Maximum messages, plus one being handled, one waiting for a slot and one handled whose acknowledgement waits its turn in the ordered acknowledgement loop");
        consumer.Handled.Should().Be(total);
        await silo.StopAsync(Ct);
    }

    [Fact]
    public async Task Consumer_HandlerThrows_MessageIsNotAcknowledgedAndIsRedelivered()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        var handler = new CollectingHandler { FailOnce = "{\"seq\":3}" };
        using IHost silo = BuildHost(broker.Port, handler, "silo-failing");
        await silo.StartAsync(Ct);
        ExternalBrokerConsumer consumer = await WaitSubscribedAsync(silo);

        for (int i = 0; i < 6; i++)
        {
            await MosquittoClients.PublishAsync(broker.Port, "sensors/danang/dn-camle-wl/telemetry", $"{{\"seq\":{i}}}", 1, mqtt5: true, cancellationToken: Ct);
        }

        await Poll.UntilAsync(() => handler.DistinctPayloads() >= 6, "every reading is handled, the failed one after its redelivery");
        handler.Seen.Should().Contain(s => s.Payload == "{\"seq\":3}", "redelivered after the failure");
        consumer.Failed.Should().Be(1);
        consumer.Connects.Should().BeGreaterThanOrEqualTo(2, "the failure dropped the connection so that the broker redelivers");
        await silo.StopAsync(Ct);
    }

    [Fact]
    public async Task Consumer_Tls_TrustsTheConfiguredCa_AndWithoutItConnectsNever()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        string certFile = Path.Combine(broker.Directory, "server.crt");
        string keyFile = Path.Combine(broker.Directory, "server.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem(), Ct);
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), Ct);
        MosquittoClients.MakePersistenceWritable(broker);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, (UnixFileMode)0b110_100_100);
        }

        int tlsPort = FreePort.Next();
        await broker.StopAsync();
        broker.ExtraConfig.Add($"listener {tlsPort.ToString(CultureInfo.InvariantCulture)} 127.0.0.1");
        broker.ExtraConfig.Add($"certfile {certFile}");
        broker.ExtraConfig.Add($"keyfile {keyFile}");
        await broker.StartAgainAsync();

        var handler = new CollectingHandler();
        using IHost silo = BuildHost(tlsPort, handler, "silo-tls",
            ("Resilience:Mqtt:External:Tls", "true"), ("Resilience:Mqtt:External:TlsCaFile", certFile), ("Resilience:Mqtt:External:TlsServerName", "localhost"));
        var untrusting = new CollectingHandler();
        using IHost untrusted = BuildHost(tlsPort, untrusting, "silo-untrusted",
            ("Resilience:Mqtt:External:Tls", "true"), ("Resilience:Mqtt:External:TlsServerName", "localhost"));
        await silo.StartAsync(Ct);
        await untrusted.StartAsync(Ct);
        await WaitSubscribedAsync(silo);

        // Published on the plain listener, consumed over TLS.
        await MosquittoClients.PublishAsync(broker.Port, "sensors/danang/dn-camle-wl/telemetry", "{\"seq\":1}", 1, mqtt5: true, cancellationToken: Ct);
        await Poll.UntilAsync(() => !handler.Seen.IsEmpty, "the reading arrives over TLS");
        handler.Lines().Should().Equal("sensors/danang/dn-camle-wl/telemetry {\"seq\":1}");
        untrusted.Services.GetRequiredService<ExternalBrokerConsumer>().Connects.Should().Be(0, "a self-signed certificate is refused by the system trust store");
        untrusting.Seen.Should().BeEmpty();
        await untrusted.StopAsync(Ct);
        await silo.StopAsync(Ct);
    }

    [Fact]
    public async Task Publisher_RetainedAlert_IsServedToALaterMosquittoSub()
    {
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        using IHost silo = BuildHost(broker.Port, new CollectingHandler(), "silo-alerts");
        await silo.StartAsync(Ct);
        ExternalMqttPublisher publisher = silo.Services.GetRequiredService<ExternalMqttPublisher>();
        await Poll.UntilAsync(() => publisher.IsConnected, "the publisher connects");

        await publisher.PublishAsync("alerts/hanoi/hn-longbien-wl", Encoding.UTF8.GetBytes("{\"state\":\"raised\"}"), MqttQualityOfService.AtLeastOnce, retain: true, Ct);

        string sub = ExternalProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("mosquitto_sub is not installed.");
        await using ExternalProcess reader = ExternalProcess.Start(sub,
            ["-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "alerts/#", "-C", "1", "-W", "20", "-F", "%r %t %p", "-V", "mqttv5"]);
        await Poll.UntilAsync(() => reader.Output.Contains("alerts/hanoi/", StringComparison.Ordinal), "mosquitto_sub got the retained alert");
        reader.Output.Should().Contain("1 alerts/hanoi/hn-longbien-wl {\"state\":\"raised\"}", "the alert is retained (flag 1) on the external broker");
        await silo.StopAsync(Ct);
    }

    [Fact]
    public async Task AddExternalMqttConsumer_BadSharedGroup_FailsAtStart()
    {
        using IHost host = BuildHost(1, new CollectingHandler(), "x", ("Resilience:Mqtt:External:SharedGroup", "a/b"));

        Func<Task> act = () => host.StartAsync(Ct);

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("SharedGroup");
    }

    private static IHost BuildHost(int port, IMqttMessageHandler handler, string clientId, params (string Key, string Value)[] extra)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:External:Host"] = "127.0.0.1",
            ["Resilience:Mqtt:External:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Resilience:Mqtt:External:ClientId"] = clientId,
            ["Resilience:Mqtt:External:ReconnectInitialDelay"] = "00:00:00.100",
            ["Resilience:Mqtt:External:ReconnectMaxDelay"] = "00:00:01",
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

    private static async Task<ExternalBrokerConsumer> WaitSubscribedAsync(IHost host)
    {
        ExternalBrokerConsumer consumer = host.Services.GetRequiredService<ExternalBrokerConsumer>();
        await Poll.UntilAsync(() => consumer.Connects > 0, "the consumer connected and subscribed");
        return consumer;
    }

    private static async Task PublishUntilAcknowledgedAsync(int port, int total, PublishGate gate)
    {
        using IMqttClient device = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = MqttNetTestClient.Options(port, "dn-restart").WithTimeout(TimeSpan.FromSeconds(2)).Build();
        for (int i = 0; i < total; i++)
        {
            while (gate.Hold)
            {
                await Task.Delay(20, Ct);
            }

            while (true)
            {
                try
                {
                    if (!device.IsConnected)
                    {
                        await device.ConnectAsync(options, Ct);
                    }

                    MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                        .WithTopic("sensors/danang/dn-restart/telemetry").WithPayload($"{{\"seq\":{i}}}")
                        .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    if ((await device.PublishAsync(message, Ct)).IsSuccess)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException && !Ct.IsCancellationRequested)
                {
                    await Task.Delay(100, Ct);
                }
            }
        }
    }

    private sealed class PublishGate
    {
        private volatile bool _hold;

        public bool Hold
        {
            get => _hold;
            set => _hold = value;
        }
    }

    private sealed class CollectingHandler : IMqttMessageHandler
    {
        private int _failed;

        public ConcurrentQueue<(string Topic, string Payload, MqttQualityOfService Qos)> Seen { get; } = new();

        public TimeSpan Delay { get; init; }

        public string? FailOnce { get; init; }

        public List<string> Lines() => Seen.Select(s => s.Topic + " " + s.Payload).ToList();

        public int DistinctPayloads() => Seen.Select(s => s.Payload).Distinct().Count();

        public async ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            string payload = Encoding.UTF8.GetString(message.Payload.Span);
            if (payload == FailOnce && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new InvalidOperationException("the pipeline failed once");
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            Seen.Enqueue((Encoding.UTF8.GetString(message.TopicUtf8.Span), payload, message.Qos));
        }
    }
}
