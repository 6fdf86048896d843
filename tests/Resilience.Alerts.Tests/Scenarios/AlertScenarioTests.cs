using Resilience.Alerts.Lifecycle;
using Resilience.TestKit;

namespace Resilience.Alerts.Tests.Scenarios;

public sealed class AlertScenarioTests
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (AlertScenario scenario in AlertScenarios.All)
        {
            names.Add(scenario.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_Scenario_ProducesExactAlertSequence(string name)
    {
        AlertScenario scenario = AlertScenarios.Get(name);
        using var context = new AlertsTestContext(scenario.Configuration, scenario.Start);
        var driver = new AlertScenarioDriver(context);

        List<string> lines = await driver.RunAsync(scenario, TestContext.Current.CancellationToken);

        lines.Should().Equal(scenario.Expected);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_Scenario_AuditTrailHasOneEntryPerVersion(string name)
    {
        AlertScenario scenario = AlertScenarios.Get(name);
        using var context = new AlertsTestContext(scenario.Configuration, scenario.Start);
        await new AlertScenarioDriver(context).RunAsync(scenario, TestContext.Current.CancellationToken);

        IReadOnlyList<AlertRecord> all = await context.Service.ListAsync(new AlertQuery(ActiveOnly: false), TestContext.Current.CancellationToken);
        all.Should().NotBeEmpty();
        foreach (AlertRecord alert in all)
        {
            IReadOnlyList<AlertEvent> history = await context.Service.HistoryAsync(alert.Id, TestContext.Current.CancellationToken);
            history.Select(e => e.Version).Should().Equal(Enumerable.Range(1, alert.Version));
            history[^1].Alert.Should().BeEquivalentTo(alert);
        }
    }

    [Fact]
    public async Task Run_OscillationWithoutHysteresisOrDebounce_Flaps()
    {
        // The control experiment: the same oscillation with clear = set and one reading each way flaps every few minutes.
        AlertScenario scenario = AlertScenarios.Get("oscillation-does-not-flap");
        var configuration = new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Rules:0:Id"] = "water-level",
            ["Resilience:Alerts:Rules:0:SensorKind"] = "water_level",
            ["Resilience:Alerts:Rules:0:ClearOffset"] = "0",
        };
        using var context = new AlertsTestContext(configuration, scenario.Start);

        List<string> lines = await new AlertScenarioDriver(context).RunAsync(scenario, TestContext.Current.CancellationToken);

        lines.Count.Should().BeGreaterThan(10);
        lines.Should().Contain(l => l.EndsWith("deescalated minor", StringComparison.Ordinal));
    }
}
