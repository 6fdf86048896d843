using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttBrokerOptionsTests
{
    [Fact]
    public async Task AddMqttBroker_InvalidSettings_StartFailsNamingTheKeys()
    {
        using IHost host = Build(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:BindAddress"] = "not-an-ip",
            ["Resilience:Mqtt:Broker:Port"] = "70000",
            ["Resilience:Mqtt:Broker:Acl:0:Topic"] = "sensors/#/x",
        });

        Func<Task> start = () => host.StartAsync(TestContext.Current.CancellationToken);

        OptionsValidationException ex = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        ex.Message.Should().Contain("BindAddress").And.Contain("Port").And.Contain("Acl:0:Topic");
    }

    [Fact]
    public void AddMqttBroker_Defaults_MatchTheContract()
    {
        using IHost host = Build(new Dictionary<string, string?> { ["Resilience:Mqtt:Broker:Users:0:UserName"] = "ops", ["Resilience:Mqtt:Broker:Users:0:Password"] = "pw" });

        MqttBrokerOptions options = host.Services.GetRequiredService<IOptions<MqttBrokerOptions>>().Value;

        options.Enabled.Should().BeTrue();
        options.Port.Should().Be(1883);
        options.BindAddress.Should().Be("127.0.0.1");
        options.KeepAliveGrace.Should().Be(1.5);
        options.Users.Should().ContainSingle().Which.UserName.Should().Be("ops");
        host.Services.GetRequiredService<MqttBroker>().Should().NotBeNull();

        // Secure by default (docs/architecture.md, Security → MQTT edge → defaults).
        options.AllowAnonymous.Should().BeFalse();
        options.AnonymousRole.Should().Be(MqttClientRole.AlertsReader);
        options.MaxPacketSize.Should().Be(32 * 1024);
        options.MaxRetainedMessages.Should().Be(100_000);
        options.MaxRetainedBytes.Should().Be(64L << 20);
        options.MaxQueuedMessages.Should().Be(1000);
        options.MaxQueuedBytes.Should().Be(4L << 20);
        options.MaxQueuedBytesTotal.Should().Be(256L << 20);
        options.MaxConnectionsPerAddress.Should().Be(100);
        options.ConnectRatePerAddress.Should().Be(20);
        options.MaxSubscriptionsPerClient.Should().Be(100);
        options.MaxKeepAliveSeconds.Should().Be(600);
        options.MaxSessionExpiry.Should().Be(86_400);
        options.AuthFailuresBeforeBackoff.Should().Be(5);
    }

    [Theory]
    [InlineData("0.0.0.0", "false", "no device can authenticate")]
    [InlineData("::", "false", "no device can authenticate")]
    [InlineData("0.0.0.0", "true", "AllowAnonymous=true is only allowed on a loopback BindAddress")]
    public async Task AddMqttBroker_NetworkBindWithoutAuthentication_RefusesToStartWithAClearMessage(string bind, string anonymous, string message)
    {
        using IHost host = Build(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:BindAddress"] = bind,
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = anonymous,
        });

        Func<Task> start = () => host.StartAsync(TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task AddMqttBroker_LoopbackWithExplicitAnonymous_Starts()
    {
        using IHost host = Build(new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Port"] = "0",
            ["Resilience:Mqtt:Broker:AllowAnonymous"] = "true",
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddMqttBroker();
        return builder.Build();
    }
}
