namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>CONNACK. <see cref="ReasonCode"/> is the 3.1.1 return code (0–5) or the 5.0 reason code.</summary>
public sealed class MqttConnAckPacket
{
    /// <summary>Session Present flag.</summary>
    public bool SessionPresent { get; set; }

    /// <summary>Return code (3.1.1) or reason code (5.0).</summary>
    public byte ReasonCode { get; set; }

    /// <summary>v5 properties, or null.</summary>
    public MqttProperties? Properties { get; set; }
}
