using System.Diagnostics.CodeAnalysis;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Where a device belongs, for the broker's default ACL (the silo implements it over its sensor registry). Without
/// one, a device may publish its own topics under any province.
/// </summary>
public interface IMqttDeviceDirectory
{
    /// <summary>The province slug of <paramref name="deviceId"/>; false when the device is unknown (it may publish nothing).</summary>
    bool TryGetProvince(string deviceId, [NotNullWhen(true)] out string? province);
}
