using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Evaluation;

public sealed class RuleEvaluatorTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<AlertRule> GaugeRules() =>
        new AlertRuleCatalog([]).For(new SensorRuleContext("g", DefaultRules.WaterLevel, null, new AlarmLevels(1.0, 2.0, 2.5)));

    [Fact]
    public void Evaluate_DefaultGaugeRules_AllocatesNothingPerReading()
    {
        IReadOnlyList<AlertRule> rules = GaugeRules();
        var states = new RuleState[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            states[i] = rules[i].CreateState();
        }

        void Run(int n)
        {
            for (int k = 0; k < n; k++)
            {
                DateTimeOffset at = s_start.AddSeconds(k * 60);
                var reading = new Reading(at, 1.5 + Math.Sin(k / 30.0), k % 97 == 0 ? DataQualityFlags.Spike : DataQualityFlags.None);
                for (int i = 0; i < rules.Count; i++)
                {
                    _ = rules[i].Evaluate(ref states[i], in reading, at);
                }
            }
        }

        Run(1000); // warm up (JIT, tiered compilation)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    [Fact]
    public void Catalog_ConfiguredRules_SensorBeatsZoneBeatsKind_AndDisabledRemoves()
    {
        var configured = new List<AlertRuleOptions>
        {
            new() { Id = "water-level", SensorKind = "water_level", ConsecutiveReadings = 4 },
            new() { Id = "water-level", Zone = "z1", SensorKind = "water_level", ConsecutiveReadings = 5 },
            new() { Id = "water-level", Sensor = "g1", ConsecutiveReadings = 6 },
            new() { Id = "rate-of-rise", Zone = "z1", Enabled = false },
            new() { Id = "custom", Sensor = "g1", Kind = RuleKind.Level, Thresholds = [new() { Severity = AlertSeverity.Extreme, Value = 4.0 }] },
        };
        var catalog = new AlertRuleCatalog(configured);
        var levels = new AlarmLevels(1, 2, 3);

        catalog.For(new SensorRuleContext("g1", "water_level", "z1", levels)).Select(r => (r.Id, r.RaiseReadings)).Should().Equal(
            ("water-level", 6), ("offline", 1), ("suspect", 1), ("custom", 1));
        catalog.For(new SensorRuleContext("g2", "water_level", "z1", levels)).Single(r => r.Id == "water-level").RaiseReadings.Should().Be(5);
        catalog.For(new SensorRuleContext("g3", "water_level", "z2", levels)).Select(r => (r.Id, r.RaiseReadings)).Should().Equal(
            ("water-level", 4), ("rate-of-rise", 2), ("offline", 1), ("suspect", 1));
        catalog.For(new SensorRuleContext("g4", "water_level", "z2", default)).Should().NotContain(r => r.Id == "water-level");
    }

    [Fact]
    public void Catalog_Shared_OneSetPerKindZoneAndLevels_ButItsOwnForASensorWithItsOwnRule()
    {
        var catalog = new AlertRuleCatalog([new AlertRuleOptions { Id = "water-level", Sensor = "g9", ConsecutiveReadings = 6 }]);
        var levels = new AlarmLevels(1, 2, 3, "QĐ 05/2020", true);

        AlertRule[] g1 = catalog.Shared(new SensorRuleContext("g1", "water_level", "z1", levels));

        catalog.Shared(new SensorRuleContext("g2", "water_level", "z1", new AlarmLevels(1, 2, 3, "QĐ 05/2020", true))).Should().BeSameAs(g1, "same kind, zone and levels");
        catalog.Shared(new SensorRuleContext("g3", "water_level", "z1", new AlarmLevels(1, 2, 3.5, "QĐ 05/2020", true))).Should().NotBeSameAs(g1);
        catalog.Shared(new SensorRuleContext("g4", "water_level", "z2", levels)).Should().NotBeSameAs(g1);
        AlertRule[] g9 = catalog.Shared(new SensorRuleContext("g9", "water_level", "z1", levels));
        g9.Should().NotBeSameAs(g1);
        g9.Single(r => r.Id == "water-level").RaiseReadings.Should().Be(6, "the rule configured for g9 alone");
        g1.Single(r => r.Id == "water-level").RaiseReadings.Should().Be(2);
        catalog.Shared(new SensorRuleContext("w1", "weather")).Should().BeSameAs(catalog.Shared(new SensorRuleContext("w2", "weather")));
    }

    [Fact]
    public void Catalog_GaugeLevels_BecomeMinorWarningSevereWithVietnameseNamesAndClearOffset()
    {
        AlertRule rule = GaugeRules().Single(r => r.Id == "water-level");

        rule.Thresholds.Select(t => (t.Severity, t.Set, t.Label, t.NameVi, t.NameEn)).Should().Equal(
            (AlertSeverity.Minor, 1.0, "I", "Báo động I", "Alarm level I"),
            (AlertSeverity.Warning, 2.0, "II", "Báo động II", "Alarm level II"),
            (AlertSeverity.Severe, 2.5, "III", "Báo động III", "Alarm level III"));
        rule.Thresholds.Select(t => t.Clear).Should().Equal(new[] { 0.9, 1.9, 2.4 }, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void Evaluate_LevelJumpsStraightToIII_RaisesSevere()
    {
        AlertRule rule = GaugeRules().Single(r => r.Id == "water-level");
        RuleState state = rule.CreateState();

        RuleTransition first = rule.Evaluate(ref state, new Reading(s_start, 2.8), s_start);
        RuleTransition second = rule.Evaluate(ref state, new Reading(s_start.AddMinutes(1), 2.9), s_start.AddMinutes(1));

        first.IsNone.Should().BeTrue();
        second.Kind.Should().Be(TransitionKind.Raise);
        second.Severity.Should().Be(AlertSeverity.Severe);
        second.Threshold!.Label.Should().Be("III");
        second.Value.Should().Be(2.9);
        state.ActiveSeverity.Should().Be(AlertSeverity.Severe);
    }

    [Fact]
    public void Evaluate_FlaggedOrNonFiniteReadings_AreIgnoredByLevelRules()
    {
        AlertRule rule = GaugeRules().Single(r => r.Id == "water-level");
        RuleState state = rule.CreateState();

        for (int i = 0; i < 5; i++)
        {
            DateTimeOffset at = s_start.AddMinutes(i);
            rule.Evaluate(ref state, new Reading(at, 9.9, DataQualityFlags.OutOfRange), at).IsNone.Should().BeTrue();
            rule.Evaluate(ref state, new Reading(at, double.NaN), at).IsNone.Should().BeTrue();
        }

        state.ActiveSeverity.Should().Be(AlertSeverity.None);
    }

    [Fact]
    public void RainAccumulator_Windows_SumBucketsAndForgetOldRain()
    {
        var rain = new RainAccumulator(TimeSpan.FromMinutes(5), [TimeSpan.FromHours(1), TimeSpan.FromHours(24)]);
        long t0 = s_start.UtcTicks;
        for (int m = 0; m < 60; m += 5)
        {
            rain.Add(t0 + TimeSpan.FromMinutes(m).Ticks, 2.5);
        }

        rain.Total(0).Should().Be(30);
        rain.Total(1).Should().Be(30);
        rain.Add(t0 + TimeSpan.FromMinutes(90).Ticks, 0.1);
        rain.Total(0).Should().BeApproximately(12.6, 1e-9); // buckets 35..55 min are still within the hour
        rain.Add(t0 + TimeSpan.FromHours(30).Ticks, 0);
        rain.Total(0).Should().Be(0);
        rain.Total(1).Should().Be(0);
    }
}
