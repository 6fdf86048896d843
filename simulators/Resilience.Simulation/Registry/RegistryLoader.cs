using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Resilience.Simulation.Registry;

/// <summary>
/// Reads the sensors of a registry file (schema in docs/architecture.md). Only what the simulators need is read;
/// unknown keys are ignored, so the silo's richer schema can grow without breaking the simulators.
/// </summary>
public static class RegistryLoader
{
    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    public static IReadOnlyList<SimSensor> Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses registry YAML.</summary>
    public static IReadOnlyList<SimSensor> Parse(string yaml)
    {
        IDeserializer deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        RegistryDocument document = deserializer.Deserialize<RegistryDocument?>(yaml) ?? new RegistryDocument();
        var sensors = new List<SimSensor>(document.Sensors.Count);
        foreach (SensorEntry s in document.Sensors)
        {
            if (string.IsNullOrEmpty(s.Id) || string.IsNullOrEmpty(s.Province))
            {
                throw new FormatException("A registry sensor needs an id and a province.");
            }

            SensorKind kind = s.Kind switch
            {
                "water_level" => SensorKind.WaterLevel,
                "rain" => SensorKind.Rain,
                "air_quality" => SensorKind.AirQuality,
                "weather" => SensorKind.Weather,
                _ => throw new FormatException($"Sensor {s.Id}: unknown kind '{s.Kind}'."),
            };
            AlarmLevels? alarm = kind == SensorKind.WaterLevel ? CompleteLevels(s.Id, s.AlarmLevels) : null;
            int interval = s.ReportingIntervalSeconds is > 0 ? s.ReportingIntervalSeconds.Value : 60;
            sensors.Add(new SimSensor(s.Id, s.Province, kind, s.Zone, interval, alarm));
        }

        return sensors;
    }

    /// <summary>
    /// Fills a level the registry leaves unknown (DOMAIN.md §3.2 has "?" cells) from the other two, so every gauge
    /// can still be driven through I → II → III; the simulator never claims these values are official.
    /// </summary>
    private static AlarmLevels CompleteLevels(string id, Dictionary<string, string?>? levels)
    {
        double? i = Level(id, levels, "I");
        double? ii = Level(id, levels, "II");
        double? iii = Level(id, levels, "III");
        if (i is null && ii is null && iii is null)
        {
            throw new FormatException($"Water-level gauge {id} has no alarm levels.");
        }

        double step = (i, ii, iii) switch
        {
            ({ } a, { } b, _) => b - a,
            (_, { } b, { } c) => c - b,
            ({ } a, null, { } c) => (c - a) / 2,
            _ => 1.0,
        };
        if (step <= 0)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Water-level gauge {id}: alarm levels must increase."));
        }

        double l2 = ii ?? (i is { } a2 ? a2 + step : iii!.Value - step);
        double l1 = i ?? l2 - step;
        double l3 = iii ?? l2 + step;
        if (!(l1 < l2 && l2 < l3))
        {
            throw new FormatException($"Water-level gauge {id}: alarm levels must increase (I < II < III).");
        }

        return new AlarmLevels(l1, l2, l3);
    }

    private static double? Level(string id, Dictionary<string, string?>? levels, string key)
    {
        if (levels is null || !levels.TryGetValue(key, out string? text) || string.IsNullOrWhiteSpace(text) || text is "~" or "null" or "?")
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"Water-level gauge {id}: alarm level {key} '{text}' is not a number.");
    }

    /// <summary>YAML shape (only the parts the simulators read).</summary>
    public sealed class RegistryDocument
    {
        /// <summary>Sensors.</summary>
        public List<SensorEntry> Sensors { get; set; } = [];
    }

    /// <summary>One sensor entry.</summary>
    public sealed class SensorEntry
    {
        /// <summary>Id.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>Province slug.</summary>
        public string Province { get; set; } = string.Empty;

        /// <summary>Kind.</summary>
        public string Kind { get; set; } = string.Empty;

        /// <summary>Zone id.</summary>
        public string? Zone { get; set; }

        /// <summary>Reporting interval.</summary>
        public int? ReportingIntervalSeconds { get; set; }

        /// <summary>Alarm levels: keys I, II, III (numbers, any may be missing) plus metadata.</summary>
        public Dictionary<string, string?>? AlarmLevels { get; set; }
    }
}
