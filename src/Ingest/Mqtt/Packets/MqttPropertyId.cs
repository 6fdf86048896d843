namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>MQTT 5.0 property identifiers (§2.2.2.2).</summary>
public enum MqttPropertyId : byte
{
    /// <summary>Byte: 0 unspecified bytes, 1 UTF-8 payload.</summary>
    PayloadFormatIndicator = 0x01,

    /// <summary>Four-byte integer, seconds.</summary>
    MessageExpiryInterval = 0x02,

    /// <summary>UTF-8 string.</summary>
    ContentType = 0x03,

    /// <summary>UTF-8 string (topic name).</summary>
    ResponseTopic = 0x08,

    /// <summary>Binary data.</summary>
    CorrelationData = 0x09,

    /// <summary>Variable byte integer 1–268,435,455.</summary>
    SubscriptionIdentifier = 0x0B,

    /// <summary>Four-byte integer, seconds.</summary>
    SessionExpiryInterval = 0x11,

    /// <summary>UTF-8 string.</summary>
    AssignedClientIdentifier = 0x12,

    /// <summary>Two-byte integer, seconds.</summary>
    ServerKeepAlive = 0x13,

    /// <summary>UTF-8 string.</summary>
    AuthenticationMethod = 0x15,

    /// <summary>Binary data.</summary>
    AuthenticationData = 0x16,

    /// <summary>Byte 0/1.</summary>
    RequestProblemInformation = 0x17,

    /// <summary>Four-byte integer, seconds.</summary>
    WillDelayInterval = 0x18,

    /// <summary>Byte 0/1.</summary>
    RequestResponseInformation = 0x19,

    /// <summary>UTF-8 string.</summary>
    ResponseInformation = 0x1A,

    /// <summary>UTF-8 string.</summary>
    ServerReference = 0x1C,

    /// <summary>UTF-8 string.</summary>
    ReasonString = 0x1F,

    /// <summary>Two-byte integer, non-zero.</summary>
    ReceiveMaximum = 0x21,

    /// <summary>Two-byte integer.</summary>
    TopicAliasMaximum = 0x22,

    /// <summary>Two-byte integer, non-zero.</summary>
    TopicAlias = 0x23,

    /// <summary>Byte 0/1.</summary>
    MaximumQoS = 0x24,

    /// <summary>Byte 0/1.</summary>
    RetainAvailable = 0x25,

    /// <summary>UTF-8 string pair; may repeat.</summary>
    UserProperty = 0x26,

    /// <summary>Four-byte integer, non-zero.</summary>
    MaximumPacketSize = 0x27,

    /// <summary>Byte 0/1.</summary>
    WildcardSubscriptionAvailable = 0x28,

    /// <summary>Byte 0/1.</summary>
    SubscriptionIdentifierAvailable = 0x29,

    /// <summary>Byte 0/1.</summary>
    SharedSubscriptionAvailable = 0x2A,
}
