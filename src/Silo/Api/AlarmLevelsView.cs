using System.Text.Json.Serialization;
using Resilience.Alerts.Rules;

namespace Resilience.Silo.Api;

/// <summary>A gauge's <see cref="AlarmLevels"/> as the API shows them (JSON shaping only): null where the registry does not know a level.</summary>
internal sealed record AlarmLevelsView(
    [property: JsonPropertyName("i")] double? I,
    [property: JsonPropertyName("ii")] double? II,
    [property: JsonPropertyName("iii")] double? III,
    string Source,
    bool Verified)
{
    /// <summary>The view of <paramref name="levels"/> (null for a sensor without alarm levels).</summary>
    public static AlarmLevelsView? From(AlarmLevels? levels) =>
        levels is null ? null : new AlarmLevelsView(levels.I, levels.II, levels.III, levels.Source, levels.Verified);
}
