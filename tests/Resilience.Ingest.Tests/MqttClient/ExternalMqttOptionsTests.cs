using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using Resilience.Ingest.Mqtt.Client;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class ExternalMqttOptionsTests
{
    private static ValidateOptionsResult Validate(ExternalMqttOptions options) => new ExternalMqttOptionsFilterValidator().Validate(null, options);

    [Fact]
    public void Validate_Defaults_Succeed_AndAnEmptyGroupMeansPlainSubscriptions()
    {
        Validate(new ExternalMqttOptions { Host = "broker" }).Succeeded.Should().BeTrue();
        Validate(new ExternalMqttOptions { Host = "broker", SharedGroup = string.Empty }).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a+")]
    [InlineData("#")]
    public void Validate_GroupWithTopicSyntax_FailsNamingTheKey(string group)
    {
        ValidateOptionsResult result = Validate(new ExternalMqttOptions { Host = "broker", SharedGroup = group });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("SharedGroup");
    }

    [Fact]
    public void Validate_CarelessSettings_EachFailsWithItsKey()
    {
        Validate(new ExternalMqttOptions { Host = "b", Topics = ["sensors/#/x"] }).FailureMessage.Should().Contain("Topics");
        Validate(new ExternalMqttOptions { Host = "b", Topics = ["$share/g/sensors/#"] }).FailureMessage.Should().Contain("Topics");
        Validate(new ExternalMqttOptions { Host = "b", ReconnectInitialDelay = TimeSpan.Zero }).FailureMessage.Should().Contain("ReconnectInitialDelay");
        Validate(new ExternalMqttOptions { Host = "b", ReconnectMaxDelay = TimeSpan.FromMilliseconds(1) }).FailureMessage.Should().Contain("ReconnectInitialDelay");
        Validate(new ExternalMqttOptions { Host = "b", Timeout = TimeSpan.Zero }).FailureMessage.Should().Contain("Timeout");
        Validate(new ExternalMqttOptions { Host = "b", TlsCaFile = "/etc/hosts" }).FailureMessage.Should().Contain("Tls is false");
        Validate(new ExternalMqttOptions { Host = "b", Tls = true, TlsCaFile = "/nonexistent/ca.pem" }).FailureMessage.Should().Contain("does not exist");
        Validate(new ExternalMqttOptions { Host = "b", Password = "secret", ProtocolVersion = 4 }).FailureMessage.Should().Contain("Username");
    }

    [Fact]
    public void BuildClientOptions_Consumer_PersistentSessionWithReceiveMaximumAndCredentials()
    {
        var options = new ExternalMqttOptions { Host = "broker", Port = 8883, Username = "silo", Password = "pw", ReceiveMaximum = 64, SessionExpirySeconds = 600 };
        using var connection = new ExternalMqttConnection(options, "silo-1", persistentSession: true, null, TimeProvider.System, NullLogger.Instance);

        MqttClientOptions built = connection.BuildClientOptions();

        built.ClientId.Should().Be("silo-1");
        built.ProtocolVersion.Should().Be(MqttProtocolVersion.V500);
        built.CleanSession.Should().BeFalse("the broker keeps the session while the silo restarts");
        built.SessionExpiryInterval.Should().Be(600u);
        built.ReceiveMaximum.Should().Be((ushort)64);
        built.Credentials.GetUserName(built).Should().Be("silo");
        ((MqttClientTcpOptions)built.ChannelOptions).TlsOptions.UseTls.Should().BeFalse();
    }

    [Fact]
    public void BuildClientOptions_PublisherOrZeroExpiry_CleanSession()
    {
        var options = new ExternalMqttOptions { Host = "broker", ProtocolVersion = 4 };
        using var publisher = new ExternalMqttConnection(options, "silo-1-pub", persistentSession: false, null, TimeProvider.System, NullLogger.Instance);
        using var zero = new ExternalMqttConnection(new ExternalMqttOptions { Host = "broker", SessionExpirySeconds = 0 }, "x", persistentSession: true, null, TimeProvider.System, NullLogger.Instance);

        publisher.BuildClientOptions().CleanSession.Should().BeTrue();
        publisher.BuildClientOptions().ProtocolVersion.Should().Be(MqttProtocolVersion.V311);
        zero.BuildClientOptions().CleanSession.Should().BeTrue();
    }
}
