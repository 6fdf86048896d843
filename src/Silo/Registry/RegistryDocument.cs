using YamlDotNet.Serialization;

namespace Resilience.Silo.Registry;

/// <summary>The registry YAML as written (schema in docs/architecture.md); validated by <see cref="RegistryLoader"/>.</summary>
internal sealed class RegistryDocument
{
    public List<ProvinceDoc>? Provinces { get; set; }

    public List<ZoneDoc>? Zones { get; set; }

    public List<SensorDoc>? Sensors { get; set; }

    internal sealed class ProvinceDoc
    {
        public string? Id { get; set; }

        public string? Name { get; set; }
    }

    internal sealed class ZoneDoc
    {
        public string? Id { get; set; }

        public string? Province { get; set; }

        public string? Name { get; set; }

        public string? Area { get; set; }

        public List<List<double>>? Polygon { get; set; }

        public int? KOfN { get; set; }
    }

    internal sealed class SensorDoc
    {
        public string? Id { get; set; }

        public string? Province { get; set; }

        public string? Kind { get; set; }

        public string? Name { get; set; }

        public string? Area { get; set; }

        public string? Zone { get; set; }

        public double? Lat { get; set; }

        public double? Lon { get; set; }

        public int? ReportingIntervalSeconds { get; set; }

        public AlarmDoc? AlarmLevels { get; set; }

        public LimitsDoc? Limits { get; set; }
    }

    internal sealed class AlarmDoc
    {
        [YamlMember(Alias = "I", ApplyNamingConventions = false)]
        public double? I { get; set; }

        [YamlMember(Alias = "II", ApplyNamingConventions = false)]
        public double? II { get; set; }

        [YamlMember(Alias = "III", ApplyNamingConventions = false)]
        public double? III { get; set; }

        public string? Source { get; set; }

        public bool? Verified { get; set; }
    }

    internal sealed class LimitsDoc
    {
        public double? HardMin { get; set; }

        public double? HardMax { get; set; }

        public double? MaxRisePerHour { get; set; }

        public int? FlatLineMinutes { get; set; }
    }
}
