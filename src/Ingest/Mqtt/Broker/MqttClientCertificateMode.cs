namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>Whether the TLS listener asks for client certificates.</summary>
public enum MqttClientCertificateMode
{
    /// <summary>No client certificates.</summary>
    None = 0,

    /// <summary>Asked for; a client without one logs in with a password.</summary>
    Optional = 1,

    /// <summary>A valid client certificate is required.</summary>
    Required = 2,
}
