namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>AUTH (5.0 only).</summary>
public sealed class MqttAuthPacket
{
    /// <summary>Success, Continue authentication or Re-authenticate.</summary>
    public MqttReasonCode ReasonCode { get; set; }

    /// <summary>Properties (authentication method and data), or null.</summary>
    public MqttProperties? Properties { get; set; }
}
