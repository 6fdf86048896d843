namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>One topic filter and its options in SUBSCRIBE.</summary>
public sealed class MqttSubscription
{
    /// <summary>Topic filter (may contain + and #, or be a $share filter).</summary>
    public string Filter { get; set; } = string.Empty;

    /// <summary>Maximum QoS.</summary>
    public MqttQualityOfService Qos { get; set; }

    /// <summary>v5 No Local.</summary>
    public bool NoLocal { get; set; }

    /// <summary>v5 Retain As Published.</summary>
    public bool RetainAsPublished { get; set; }

    /// <summary>v5 Retain Handling: 0 send retained, 1 only for new subscriptions, 2 never.</summary>
    public byte RetainHandling { get; set; }
}
