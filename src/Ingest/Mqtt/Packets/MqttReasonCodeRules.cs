namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Which MQTT 5.0 reason codes each packet type may carry (the tables of §3.2.2.2, §3.4.2.1, §3.5.2.1, §3.6.2.1,
/// §3.7.2.1, §3.9.3, §3.11.3, §3.14.2.1 and §3.15.2.1). A sender MUST use one of its packet's codes
/// ([MQTT-3.2.2-8], [MQTT-3.4.2-1], [MQTT-3.5.2-1], [MQTT-3.6.2-1], [MQTT-3.7.2-1], [MQTT-3.9.3-2],
/// [MQTT-3.11.3-2], [MQTT-3.14.2-1], [MQTT-3.15.2-1]); the decoder refuses any other as a Protocol Error.
/// </summary>
public static class MqttReasonCodeRules
{
    /// <summary>True when <paramref name="code"/> is defined for <paramref name="type"/> in MQTT 5.0.</summary>
    public static bool IsValid(MqttPacketType type, byte code) => type switch
    {
        MqttPacketType.ConnAck => code is 0x00 or (>= 0x80 and <= 0x8A) or 0x8C or 0x90 or 0x95 or 0x97 or 0x99 or 0x9A or 0x9B or 0x9C or 0x9D or 0x9F,
        MqttPacketType.PubAck or MqttPacketType.PubRec => code is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90 or 0x91 or 0x97 or 0x99,
        MqttPacketType.PubRel or MqttPacketType.PubComp => code is 0x00 or 0x92,
        MqttPacketType.SubAck => code is 0x00 or 0x01 or 0x02 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91 or 0x97 or 0x9E or 0xA1 or 0xA2,
        MqttPacketType.UnsubAck => code is 0x00 or 0x11 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91,
        MqttPacketType.Disconnect => code is 0x00 or 0x04 or (>= 0x80 and <= 0x83) or 0x87 or 0x89 or (>= 0x8B and <= 0xA2 and not 0x8C and not 0x91 and not 0x92),
        MqttPacketType.Auth => code is 0x00 or 0x18 or 0x19,
        _ => false,
    };

    /// <summary>Throws a Protocol Error when <paramref name="code"/> is not one of <paramref name="type"/>'s reason codes.</summary>
    internal static void Check(MqttPacketType type, byte code)
    {
        if (!IsValid(type, code))
        {
            MqttProtocolException.ThrowProtocolError($"Reason code 0x{code:X2} is not defined for {type}.");
        }
    }
}
