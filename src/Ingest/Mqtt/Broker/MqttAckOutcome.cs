namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>What an acknowledgement from the client did to the outbound message it names.</summary>
internal enum MqttAckOutcome : byte
{
    /// <summary>The message advanced (or completed) its handshake.</summary>
    Done,

    /// <summary>No message is in flight under that packet id (a late duplicate; tolerated, as mosquitto does).</summary>
    Unknown,

    /// <summary>The message is in flight at another QoS or step (e.g. PUBREC for QoS 1, PUBCOMP before PUBREC): a protocol violation.</summary>
    WrongFlow,
}
