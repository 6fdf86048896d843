using System.Text;
using Resilience.Ingest.Mqtt.Broker;

namespace Resilience.Ingest.Tests.Mqtt;

public sealed class MqttAclTests
{
    private static readonly MqttBrokerOptions s_options = CreateOptions();

    [Theory]
    [InlineData("dn-camle-wl", "dev1", "sensors/danang/dn-camle-wl/telemetry", true)]
    [InlineData("dn-camle-wl", "dev1", "sensors/danang/dn-camle-wl/status", true)]
    [InlineData("dn-camle-wl", "dev1", "sensors/hanoi/dn-camle-wl/telemetry", false)]
    [InlineData("dn-camle-wl", "dev1", "sensors/hanoi/hn-x/telemetry", false)]
    [InlineData("dn-camle-wl", "dev1", "sensors/danang/dn-camle-wl/command", false)]
    [InlineData("dn-camle-wl", "dev1", "alerts/danang/dn-camle-wl", false)]
    [InlineData("unregistered", "dev1", "sensors/danang/unregistered/telemetry", false)]
    [InlineData("gw", "g", "sensors/hanoi/hn-x/telemetry", true)]
    [InlineData("gw", "g", "sensors/hanoi/hn-x/command", false)]
    [InlineData("gw", "g", "alerts/hanoi/hn-x", false)]
    [InlineData("viewer", "v", "alerts/hanoi/hn-x", false)]
    [InlineData("ops", "o", "sensors/hanoi/hn-x/telemetry", false)]
    [InlineData(null, "anon", "any/topic", true)]
    [InlineData(null, "anon", "alerts", false)]
    [InlineData(null, "anon", "alerts/x", false)]
    [InlineData(null, "anon", "$SYS/x", false)]
    [InlineData(null, "anon", "alertsx/y", true)]
    [InlineData("extra", "dev9", "cmd/dev9", true)]
    public void CanPublish_RoleAndIdentity_DecideTheTopics(string? user, string clientId, string topic, bool expected)
    {
        MqttPermissions.Create(s_options, new Directory(), user, verified: true, clientId).CanPublish(Encoding.UTF8.GetBytes(topic)).Should().Be(expected);
    }

    [Theory]
    [InlineData("dn-camle-wl", "sensors/danang/dn-camle-wl/command", true)]
    [InlineData("dn-camle-wl", "sensors/+/dn-camle-wl/command", false)]
    [InlineData("dn-camle-wl", "sensors/danang/+/command", false)]
    [InlineData("dn-camle-wl", "#", false)]
    [InlineData("viewer", "alerts/#", true)]
    [InlineData("viewer", "alerts", true)]
    [InlineData("viewer", "alerts/+/x", true)]
    [InlineData("viewer", "+/hanoi/#", false)]
    [InlineData("viewer", "sensors/#", false)]
    [InlineData("ops", "sensors/+/+/telemetry", true)]
    [InlineData("ops", "#", false)]
    [InlineData(null, "#", true)]
    [InlineData(null, "+/x", true)]
    [InlineData(null, "$SYS/#", false)]
    [InlineData("a/#", "x/a/#", false)]
    [InlineData("dn-camle-wl", "x/dn-camle-wl/y", true)]
    public void CanSubscribe_OnlyFiltersInsideTheRole(string? user, string filter, bool expected)
    {
        MqttPermissions.Create(s_options, new Directory(), user, verified: true, "c").CanSubscribe(filter).Should().Be(expected);
    }

    [Fact]
    public void Create_UnverifiedName_GetsTheAnonymousRoleNotTheNamedOne()
    {
        MqttPermissions permissions = MqttPermissions.Create(s_options, new Directory(), "gw", verified: false, "c");

        permissions.Role.Should().Be(MqttClientRole.Open);
        MqttPermissions.Create(s_options, new Directory(), "dn-camle-wl", verified: false, "c").Role.Should().Be(MqttClientRole.Open);
        MqttPermissions.Create(s_options, new Directory(), "gw", verified: true, "c").Role.Should().Be(MqttClientRole.Gateway);
    }

    [Fact]
    public void CanPublish_DeviceMovedByARegistryReload_FollowsTheRegistry()
    {
        var directory = new Directory();
        MqttPermissions permissions = MqttPermissions.Create(s_options, directory, "dn-camle-wl", verified: true, "c");
        permissions.CanPublish("sensors/danang/dn-camle-wl/telemetry"u8).Should().BeTrue();

        directory.Moved = true;

        permissions.CanPublish("sensors/hochiminh/dn-camle-wl/telemetry"u8).Should().BeTrue();
        permissions.CanPublish("sensors/danang/dn-camle-wl/telemetry"u8).Should().BeFalse();
    }

    [Theory]
    [InlineData("sensors/+/+/telemetry", "sensors/danang/x/telemetry", true)]
    [InlineData("sensors/#", "sensors", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b/#", "a/b", true)]
    public void Matches_Utf8_FollowsTheSpec(string filter, string topic, bool expected)
    {
        MqttPermissions.Matches(Encoding.UTF8.GetBytes(filter), Encoding.UTF8.GetBytes(topic)).Should().Be(expected);
    }

    private static MqttBrokerOptions CreateOptions()
    {
        var options = new MqttBrokerOptions { AnonymousRole = MqttClientRole.Open };
        options.Roles["gw"] = MqttClientRole.Gateway;
        options.Roles["viewer"] = MqttClientRole.AlertsReader;
        options.Roles["ops"] = MqttClientRole.Operations;
        options.Acl.Add(new MqttAclRuleOptions { User = "extra", Topic = "cmd/%c", Access = MqttAclAccess.Write });
        options.Acl.Add(new MqttAclRuleOptions { Topic = "x/%u/#", Access = MqttAclAccess.Read });
        return options;
    }

    private sealed class Directory : IMqttDeviceDirectory
    {
        public bool Moved { get; set; }

        public bool TryGetProvince(string deviceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? province)
        {
            province = deviceId == "dn-camle-wl" ? (Moved ? "hochiminh" : "danang") : null;
            return province is not null;
        }
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
