using System.Diagnostics.CodeAnalysis;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Silo.Registry;

namespace Resilience.Silo.Ingest;

/// <summary>The registry's sensor → province map for the broker's device ACL (reloads apply to the next check).</summary>
internal sealed class RegistryDeviceDirectory(RegistryProvider registry) : IMqttDeviceDirectory
{
    public bool TryGetProvince(string deviceId, [NotNullWhen(true)] out string? province)
    {
        if (registry.Current.TryGetSensor(deviceId, out SensorInfo? sensor))
        {
            province = sensor.Province;
            return true;
        }

        province = null;
        return false;
    }
}
