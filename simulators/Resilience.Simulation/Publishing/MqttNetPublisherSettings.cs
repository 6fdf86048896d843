namespace Resilience.Simulation.Publishing;

/// <summary>How <see cref="MqttNetPublisher"/> connects: the broker, the device's identity, QoS and TLS.</summary>
public sealed class MqttNetPublisherSettings
{
    /// <summary>Broker host. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port. Default 1883.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Client id. Required.</summary>
    public required string ClientId { get; init; }

    /// <summary>User name (a device authenticates with its sensor id), or null for an anonymous connection. Default null.</summary>
    public string? Username { get; init; }

    /// <summary>Password, used only with <see cref="Username"/>. Default null.</summary>
    public string? Password { get; init; }

    /// <summary>Publish QoS, 0 or 1. Default 0.</summary>
    public int Qos { get; init; }

    /// <summary>Connect over TLS, validating the server certificate against the system trust store. Default false.</summary>
    public bool Tls { get; init; }
}
