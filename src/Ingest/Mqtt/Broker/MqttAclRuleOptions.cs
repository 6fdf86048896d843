namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>One ACL rule: <see cref="Access"/> to topics matching <see cref="Topic"/>, for one user or for everyone.</summary>
public sealed class MqttAclRuleOptions
{
    /// <summary>The user the rule applies to; null (default) applies it to every client, like mosquitto's <c>pattern</c>.</summary>
    public string? User { get; set; }

    /// <summary>Topic filter; <c>%u</c> = user name, <c>%c</c> = client id (a rule with %u never applies to anonymous clients).</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Read, Write or ReadWrite. Default ReadWrite.</summary>
    public MqttAclAccess Access { get; set; } = MqttAclAccess.ReadWrite;
}
