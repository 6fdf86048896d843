using System.Text;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttAclTests
{
    private static readonly MqttAcl s_acl = new(
    [
        new MqttAclRuleOptions { Topic = "sensors/+/%u/#", Access = MqttAclAccess.Write },
        new MqttAclRuleOptions { Topic = "cmd/%c", Access = MqttAclAccess.Read },
        new MqttAclRuleOptions { User = "ops", Topic = "#", Access = MqttAclAccess.ReadWrite },
    ]);

    [Theory]
    [InlineData("dn-camle-wl", "dev1", "sensors/danang/dn-camle-wl/telemetry", MqttAclAccess.Write, true)]
    [InlineData("dn-camle-wl", "dev1", "sensors/hanoi/hn-x/telemetry", MqttAclAccess.Write, false)]
    [InlineData("dn-camle-wl", "dev1", "sensors/danang/dn-camle-wl/telemetry", MqttAclAccess.Read, false)]
    [InlineData("dn-camle-wl", "dev1", "cmd/dev1", MqttAclAccess.Read, true)]
    [InlineData("dn-camle-wl", "dev1", "cmd/dev2", MqttAclAccess.Read, false)]
    [InlineData(null, "dev1", "sensors/danang/dev1/telemetry", MqttAclAccess.Write, false)]
    [InlineData("a/#", "x", "sensors/d/a/#", MqttAclAccess.Write, false)]
    [InlineData("ops", "console", "alerts/danang/x", MqttAclAccess.Write, true)]
    public void IsAllowed_PatternRules_SubstituteUserAndClient(string? user, string clientId, string topic, MqttAclAccess access, bool expected)
    {
        s_acl.IsAllowed(user, clientId, topic, access).Should().Be(expected);
    }

    [Fact]
    public void IsAllowed_NoRules_AllowsEverything()
    {
        new MqttAcl([]).IsAllowed(null, "c", "any/topic", MqttAclAccess.Write).Should().BeTrue();
    }

    [Fact]
    public void Verify_HashFromDebianMosquittoPasswd_AcceptsOnlyTheRightPassword()
    {
        // Produced by `mosquitto_passwd -c -b pw dn-camle-wl s3cret` (mosquitto 2.0.11) on this machine.
        const string Stored = "$7$101$3Di37tZhJwgxP2eU$POYXi2coQnc4aylsvCXxxOwUcKTdeWVuNTiqMNf/mYGchVfPJxvk5Csfiw6IqmI3aGVHI/H9uB2c++J18YH9RQ==";

        MqttPasswordVerifier.Verify(Stored, Encoding.UTF8.GetBytes("s3cret")).Should().BeTrue();
        MqttPasswordVerifier.Verify(Stored, Encoding.UTF8.GetBytes("s3creT")).Should().BeFalse();
    }

    [Fact]
    public void HashPbkdf2_OwnHash_VerifiesAndIsInTheMosquittoFormat()
    {
        string hash = MqttPasswordVerifier.HashPbkdf2("pw");

        hash.Should().StartWith("$7$101$");
        MqttPasswordVerifier.Verify(hash, "pw"u8).Should().BeTrue();
        MqttPasswordVerifier.Verify("plain", "plain"u8).Should().BeTrue();
        MqttPasswordVerifier.Verify("plain", "other"u8).Should().BeFalse();
    }
}
