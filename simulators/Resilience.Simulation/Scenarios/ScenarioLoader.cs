using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Resilience.Simulation.Scenarios;

/// <summary>Finds and parses scenario files.</summary>
public static class ScenarioLoader
{
    /// <summary>The scenarios shipped in simulators/scenarios.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["calm", "danang-typhoon", "hanoi-smog"];

    /// <summary>Parses scenario YAML and checks it.</summary>
    public static Scenario Parse(string yaml)
    {
        IDeserializer deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        Scenario scenario = deserializer.Deserialize<Scenario?>(yaml) ?? throw new FormatException("Empty scenario.");
        Validate(scenario);
        return scenario;
    }

    /// <summary>
    /// Loads <paramref name="nameOrPath"/>: an existing file, else <c>scenarios/&lt;name&gt;.yaml</c> next to the
    /// executable, else <c>simulators/scenarios/&lt;name&gt;.yaml</c> in the current directory or a parent of it.
    /// </summary>
    public static Scenario Load(string nameOrPath) => Parse(File.ReadAllText(Resolve(nameOrPath)));

    /// <summary>The file <paramref name="nameOrPath"/> refers to.</summary>
    public static string Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (File.Exists(nameOrPath))
        {
            return nameOrPath;
        }

        string file = nameOrPath.EndsWith(".yaml", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".yaml";
        string beside = Path.Combine(AppContext.BaseDirectory, "scenarios", file);
        if (File.Exists(beside))
        {
            return beside;
        }

        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "simulators", "scenarios", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Scenario '{nameOrPath}' not found (built in: {string.Join(", ", BuiltIn)}).");
    }

    private static void Validate(Scenario s)
    {
        if (!(s.DurationHours > 0) || !(s.Speed >= 0))
        {
            throw new FormatException("durationHours must be positive and speed non-negative (0 = as fast as possible).");
        }

        if (s.LiveNowAtHours is { } nowAt && !(nowAt >= 0 && nowAt <= s.DurationHours))
        {
            throw new FormatException("liveNowAtHours must lie between 0 and durationHours.");
        }

        if (s.ReportingIntervalSeconds is <= 0)
        {
            throw new FormatException("reportingIntervalSeconds must be positive.");
        }

        foreach ((string key, List<List<double>> frames) in s.Rain)
        {
            _ = new Keyframes(frames, "rain." + key);
        }

        foreach ((string key, List<List<double>> frames) in s.Air.Episodes)
        {
            _ = new Keyframes(frames, "air.episodes." + key);
        }

        foreach ((string key, RiverSettings r) in s.Rivers)
        {
            if (!(r.RecessionHours > 0) || r.LagHours < 0 || r.PeakAlarm < 0)
            {
                throw new FormatException($"rivers.{key}: recessionHours must be positive, lagHours and peakAlarm non-negative.");
            }
        }
    }
}
