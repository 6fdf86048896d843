using BenchmarkDotNet.Attributes;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Benchmarks.Alerts;

/// <summary>
/// Cost of evaluating one reading against a sensor's default rules, as a grain does per reading
/// (water gauge: level, rate of rise, offline, suspect; rain gauge: heavy rain 1/3/24 h, offline, suspect;
/// air-quality station: AQI bands, offline, suspect). Run: <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- --filter *RuleEvaluation*</c>.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private const int Readings = 4096;
    private static readonly DateTimeOffset s_start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private AlertRule[] _gaugeRules = [];
    private RuleState[] _gaugeStates = [];
    private AlertRule[] _rainRules = [];
    private RuleState[] _rainStates = [];
    private AlertRule[] _airRules = [];
    private RuleState[] _airStates = [];
    private Reading[] _levels = [];
    private Reading[] _rain = [];
    private Reading[] _aqi = [];
    private long _offsetTicks;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new AlertRuleCatalog([]);
        (_gaugeRules, _gaugeStates) = Create(catalog.For(new SensorRuleContext("g", DefaultRules.WaterLevel, "z", new AlarmLevels(1.0, 2.0, 2.5))));
        (_rainRules, _rainStates) = Create(catalog.For(new SensorRuleContext("r", DefaultRules.Rain, "z")));
        (_airRules, _airStates) = Create(catalog.For(new SensorRuleContext("a", DefaultRules.AirQuality)));
        _levels = new Reading[Readings];
        _rain = new Reading[Readings];
        _aqi = new Reading[Readings];
        for (int i = 0; i < Readings; i++)
        {
            // Continuous time (one reading a minute) so that windows slide as in production.
            DateTimeOffset at = s_start.AddMinutes(i);
            _levels[i] = new Reading(at, 1.8 + (0.9 * Math.Sin(i / 40.0)), i % 211 == 0 ? DataQualityFlags.Spike : DataQualityFlags.None);
            _rain[i] = new Reading(at, i % 300 < 60 ? 1.2 : 0.0);
            _aqi[i] = new Reading(at, 120 + (90 * Math.Sin(i / 50.0)));
        }
    }

    [Benchmark(OperationsPerInvoke = Readings)]
    public int WaterGauge() => Run(_gaugeRules, _gaugeStates, _levels, Next());

    [Benchmark(OperationsPerInvoke = Readings)]
    public int RainGauge() => Run(_rainRules, _rainStates, _rain, Next());

    [Benchmark(OperationsPerInvoke = Readings)]
    public int AirQualityStation() => Run(_airRules, _airStates, _aqi, Next());

    // Each invocation continues the clock where the previous one stopped, so windows never see time go back.
    private long Next()
    {
        long offset = _offsetTicks;
        _offsetTicks += TimeSpan.FromMinutes(Readings).Ticks;
        return offset;
    }

    private static int Run(AlertRule[] rules, RuleState[] states, Reading[] readings, long offsetTicks)
    {
        int transitions = 0;
        for (int k = 0; k < readings.Length; k++)
        {
            ref readonly Reading source = ref readings[k];
            var reading = new Reading(source.Timestamp.AddTicks(offsetTicks), source.Value, source.Flags);
            for (int i = 0; i < rules.Length; i++)
            {
                if (!rules[i].Evaluate(ref states[i], in reading, reading.Timestamp).IsNone)
                {
                    transitions++;
                }
            }
        }

        return transitions;
    }

    private static (AlertRule[] Rules, RuleState[] States) Create(IReadOnlyList<AlertRule> rules)
    {
        var states = new RuleState[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            states[i] = rules[i].CreateState();
        }

        return ([.. rules], states);
    }
}
