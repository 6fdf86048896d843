using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt.Client;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.MqttClient;

public sealed class MqttClientOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
        => new MqttClientOptions().Validate().Should().BeEmpty();

    [Fact]
    public void Validate_PersistentSessionWithoutClientId_Error()
        => new MqttClientOptions { CleanStart = false }.Validate().Should().ContainSingle().Which.Should().Contain("ClientId");

    [Fact]
    public void Validate_BadValues_EveryProblemListed()
    {
        var o = new MqttClientOptions
        {
            Host = " ",
            Port = 0,
            MaxInFlight = 0,
            ProtocolVersion = MqttProtocolVersion.V310,
            Will = new MqttWillMessage { Topic = "a/+" },
            ReconnectInitialDelay = TimeSpan.Zero,
        };

        IReadOnlyList<string> errors = o.Validate();

        errors.Should().HaveCountGreaterThanOrEqualTo(5);
        errors.Should().Contain(e => e.Contains("Will topic", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentException()
    {
        Action act = () => _ = new Ingest.Mqtt.Client.MqttClient(new MqttClientOptions { Port = 70000 });

        act.Should().Throw<ArgumentException>().WithMessage("*Port*");
    }

    [Fact]
    public void ExternalOptions_Defaults_SharedTopicsAndPersistentSession()
    {
        var o = new ExternalMqttOptions { Host = "broker.local" };

        o.EffectiveTopics.Should().Equal("sensors/+/+/telemetry", "sensors/+/+/status");
        MqttClientOptions client = o.ToClientOptions();
        client.CleanStart.Should().BeFalse();
        client.SessionExpirySeconds.Should().Be(3600);
        client.ReceiveChannelCapacity.Should().Be(0);
        client.ClientId.Should().StartWith("resilience-");
        client.Validate().Should().BeEmpty();
    }

    [Fact]
    public void ExternalOptionsValidation_BadGroupAndFilter_Fails()
    {
        var o = new ExternalMqttOptions { Host = "h", SharedGroup = "a/b", Topics = ["sensors/#/x"] };

        ValidateOptionsResult result = new ExternalMqttOptionsFilterValidator().Validate(null, o);

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(2);
    }

    [Fact]
    public void ExternalOptionsValidation_MissingHost_FailsAnnotations()
    {
        ValidateOptionsResult result = new ExternalMqttOptionsValidator().Validate(null, new ExternalMqttOptions());

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Host");
    }
}
