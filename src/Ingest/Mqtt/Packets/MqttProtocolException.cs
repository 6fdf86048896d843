using System.Diagnostics.CodeAnalysis;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>
/// Malformed or protocol-violating input. The only exception the framer and the decoders throw on bad bytes;
/// the connection that sent them is closed (with <see cref="ReasonCode"/> in a v5 DISCONNECT where allowed).
/// </summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Creates an exception with reason code <see cref="MqttReasonCode.MalformedPacket"/>.</summary>
    public MqttProtocolException()
        : this(MqttReasonCode.MalformedPacket, "Malformed packet.")
    {
    }

    /// <summary>Creates an exception with reason code <see cref="MqttReasonCode.MalformedPacket"/>.</summary>
    public MqttProtocolException(string message)
        : this(MqttReasonCode.MalformedPacket, message)
    {
    }

    /// <summary>Creates an exception with reason code <see cref="MqttReasonCode.MalformedPacket"/>.</summary>
    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReasonCode = MqttReasonCode.MalformedPacket;
    }

    /// <summary>Creates an exception with the given reason code.</summary>
    public MqttProtocolException(MqttReasonCode reasonCode, string message)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The MQTT 5.0 reason code that describes the violation (0x81 malformed, 0x82 protocol error, 0x95 too large…).</summary>
    public MqttReasonCode ReasonCode { get; }

    [DoesNotReturn]
    internal static void ThrowMalformed(string message) => throw new MqttProtocolException(MqttReasonCode.MalformedPacket, message);

    [DoesNotReturn]
    internal static void ThrowProtocolError(string message) => throw new MqttProtocolException(MqttReasonCode.ProtocolError, message);

    [DoesNotReturn]
    internal static void Throw(MqttReasonCode code, string message) => throw new MqttProtocolException(code, message);
}
