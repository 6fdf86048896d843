namespace Resilience.Ingest.Mqtt;

/// <summary>
/// An in-process consumer could not take a QoS 1 or 2 message (the readings could not be stored). The broker then
/// sends no acknowledgement and closes the publisher's connection, so the client re-sends the message when it
/// reconnects: an acknowledgement always means the message was taken.
/// </summary>
public sealed class MqttDeliveryFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttDeliveryFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttDeliveryFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MqttDeliveryFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
