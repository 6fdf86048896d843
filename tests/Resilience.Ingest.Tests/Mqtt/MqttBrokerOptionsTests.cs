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
