namespace Resilience.TestKit;

/// <summary>
/// A pipeline-independent alert scenario: sensors, configuration, timed readings and the exact alert sequence
/// expected, as lines "hh:mm subject rule state severity" (time = offset of the reading that caused the change;
/// state = the alert's state after it). Drive it through the rule evaluator directly (Resilience.Alerts.Tests)
/// or through MQTT and the grains (integration tests).
/// </summary>
public sealed record AlertScenario
{
    /// <summary>Scenario name (the test case name).</summary>
    public required string Name { get; init; }

    /// <summary>Sensors and at most one zone.</summary>
    public required IReadOnlyList<AlertScenarioSensor> Sensors { get; init; }

    /// <summary>Extra configuration (flat keys such as Resilience:Alerts:Rules:0:Id).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Readings in time order.</summary>
    public required IReadOnlyList<AlertScenarioStep> Steps { get; init; }

    /// <summary>Only alerts of these rules are compared (empty: all).</summary>
    public IReadOnlyList<string> ObservedRules { get; init; } = [];

    /// <summary>The exact expected sequence.</summary>
    public required IReadOnlyList<string> Expected { get; init; }

    /// <summary>Scenario start (UTC).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Formats an expected line's time: whole hours (may exceed 24) and minutes.</summary>
    public static string Offset(TimeSpan offset) => $"{(int)offset.TotalHours:00}:{offset.Minutes:00}";

    /// <inheritdoc />
    public override string ToString() => Name;
}
