namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>DISCONNECT (reason code and properties in 5.0 only).</summary>
public sealed class MqttDisconnectPacket
{
    /// <summary>v5 reason code; Success (normal disconnection) for 3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; set; }

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
