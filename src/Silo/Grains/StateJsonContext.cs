using System.Text.Json.Serialization;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Sensors;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Grains;

/// <summary>Source-generated JSON contracts of the persisted grain states (no reflection at restore).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SensorState))]
[JsonSerializable(typeof(ZoneState))]
[JsonSerializable(typeof(AirStationState))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
