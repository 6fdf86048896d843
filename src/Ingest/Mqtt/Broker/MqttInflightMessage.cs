namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>An outbound QoS 1/2 message awaiting its acknowledgement; resent with DUP after a reconnect.</summary>
internal sealed class MqttInflightMessage
{
    public MqttInflightMessage(MqttQueuedMessage queued, long sequence)
    {
        Queued = queued;
        Sequence = sequence;
        State = queued.Qos == MqttQualityOfService.AtLeastOnce ? MqttInflightState.AwaitingPubAck : MqttInflightState.AwaitingPubRec;
    }

    public MqttQueuedMessage Queued { get; }

    public long Sequence { get; }

    public MqttInflightState State { get; set; }
}
