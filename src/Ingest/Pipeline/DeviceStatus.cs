namespace Resilience.Ingest.Pipeline;

/// <summary>A device's connectivity as published on <c>sensors/{province}/{sensorId}/status</c>.</summary>
public enum DeviceStatus : byte
{
    /// <summary><c>offline</c> (usually the device's last will).</summary>
    Offline,

    /// <summary><c>online</c>.</summary>
    Online,
}
