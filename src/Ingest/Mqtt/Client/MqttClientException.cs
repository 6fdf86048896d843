namespace Resilience.Ingest.Mqtt.Client;

/// <summary>A broker refusal (CONNACK, SUBACK, PUBACK/PUBREC reason code) or a lost connection seen by a caller.</summary>
public sealed class MqttClientException : Exception
{
    /// <summary>Creates an exception without a reason code.</summary>
    public MqttClientException()
        : this("MQTT client error.")
    {
    }

    /// <summary>Creates an exception without a reason code.</summary>
    public MqttClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception wrapping the cause.</summary>
    public MqttClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a broker's reason code.</summary>
    public MqttClientException(string message, byte reasonCode)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The 3.1.1 return code or 5.0 reason code the broker sent, or null.</summary>
    public byte? ReasonCode { get; }
}
