namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>What an ACL rule grants.</summary>
[Flags]
public enum MqttAclAccess
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Receive messages on matching topics.</summary>
    Read = 1,

    /// <summary>Publish to matching topics.</summary>
    Write = 2,

    /// <summary>Both.</summary>
    ReadWrite = Read | Write,
}
