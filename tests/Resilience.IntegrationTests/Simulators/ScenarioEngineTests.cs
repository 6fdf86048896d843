using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Scenarios;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Simulators;

/// <summary>The scenario engine is pure: these tests read the shipped scenario files and run no processes.</summary>
public sealed class ScenarioEngineTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static Scenario Load(string name) => ScenarioLoader.Parse(File.ReadAllText(TestRegistry.ScenarioPath(name)));

    private static List<SimReading> Run(string name, IReadOnlyList<SimSensor>? sensors = null) =>
        [.. new ScenarioEngine(Load(name), sensors ?? TestRegistry.Sensors, s_start).Run()];

    [Fact]
    public void Run_DanangTyphoon_EveryDanangGaugePassesIThenIIThenIIIThenRecedesBelowI()
    {
        List<SimReading> readings = Run("danang-typhoon");
        List<SimSensor> gauges = [.. TestRegistry.Sensors.Where(s => s.Province == "danang" && s.Kind == SensorKind.WaterLevel)];
        gauges.Should().HaveCount(3);

        foreach (SimSensor gauge in gauges)
        {
            List<SimReading> series = [.. readings.Where(r => r.Sensor.Id == gauge.Id)];
            AlarmLevels levels = gauge.Alarm!;
            int i1 = series.FindIndex(r => r.Get(Quantity.WaterLevel) >= levels.I);
            int i2 = series.FindIndex(Math.Max(i1, 0), r => r.Get(Quantity.WaterLevel) >= levels.II);
            int i3 = series.FindIndex(Math.Max(i2, 0), r => r.Get(Quantity.WaterLevel) >= levels.III);
            int below = series.FindIndex(Math.Max(i3, 0), r => r.Get(Quantity.WaterLevel) < levels.I);

            i1.Should().BePositive($"{gauge.Id} starts below I and crosses it");
            series[0].Get(Quantity.WaterLevel).Should().BeLessThan(levels.I, gauge.Id);
            i2.Should().BeGreaterThan(i1, gauge.Id);
            i3.Should().BeGreaterThan(i2, gauge.Id);
            below.Should().BeGreaterThan(i3, $"{gauge.Id} recedes below I after III");
            series[^1].Get(Quantity.WaterLevel).Should().BeLessThan(levels.I, $"{gauge.Id} ends below I");
        }
    }

    [Fact]
    public void Run_DanangTyphoon_RiversPeakAfterTheRain()
    {
        Scenario scenario = Load("danang-typhoon");
        List<SimReading> readings = Run("danang-typhoon");
        double rainPeakHour = scenario.Rain["danang"].MaxBy(k => k[1])![0];

        SimReading levelPeak = readings.Where(r => r.Sensor.Id == "dn-ainghia-wl").MaxBy(r => r.Get(Quantity.WaterLevel))!;
        double peakHour = (levelPeak.Timestamp - s_start).TotalHours;

        peakHour.Should().BeGreaterThan(rainPeakHour + 1, "the river answers the rain with a lag");
        readings.Where(r => r.Sensor.Id == "dn-camle-rain").Max(r => r.Get(Quantity.Rainfall)).Should().BeGreaterThan(5, "10-minute rain totals near 55 mm/h");
    }

    [Fact]
    public void Run_DanangTyphoon_GaugesOutsideDanangStayBelowI()
    {
        List<SimReading> readings = Run("danang-typhoon");

        readings.Where(r => r.Sensor.Id == "hn-longbien-wl").Max(r => r.Get(Quantity.WaterLevel)).Should().BeLessThan(9.5);
    }

    [Fact]
    public void Run_HanoiSmog_Pm25RisesAbove150AndFallsBack()
    {
        List<SimReading> air = [.. Run("hanoi-smog").Where(r => r.Sensor.Id == "hn-hoankiem-aq")];

        air.Take(6).Should().OnlyContain(r => r.Get(Quantity.Pm25) < 100, "the episode has not started");
        air.Max(r => r.Get(Quantity.Pm25)).Should().BeGreaterThan(150);
        air.TakeLast(6).Should().OnlyContain(r => r.Get(Quantity.Pm25) < 100, "the episode has cleared");
        air.Should().OnlyContain(r => r.Values.Length == 6 && r.Values.All(v => v.Value > 0));
    }

    [Fact]
    public void Run_Calm_NothingCrossesAlarmIAndAirStaysModerate()
    {
        List<SimReading> readings = Run("calm");
        IReadOnlyList<SimSensor> sensors = TestRegistry.Sensors;

        foreach (SimSensor gauge in sensors.Where(s => s.Kind == SensorKind.WaterLevel))
        {
            readings.Where(r => r.Sensor.Id == gauge.Id).Should().OnlyContain(r => r.Get(Quantity.WaterLevel) < gauge.Alarm!.I, gauge.Id);
        }

        readings.Where(r => r.Sensor.Kind == SensorKind.AirQuality).Should().OnlyContain(r => r.Get(Quantity.Pm25) < 100);
    }

    [Fact]
    public void Run_HanoiSmog_Pm25HasADiurnalCycle()
    {
        Scenario scenario = Load("calm");
        List<SimReading> air = [.. new ScenarioEngine(scenario, TestRegistry.Sensors, s_start).Run().Where(r => r.Sensor.Id == "hn-hoankiem-aq")];

        // Local (UTC+7) evening traffic peak vs. the mid-afternoon low.
        double evening = air.Where(r => r.Timestamp.ToOffset(TimeSpan.FromHours(7)).Hour is >= 19 and <= 21).Average(r => r.Get(Quantity.Pm25));
        double afternoon = air.Where(r => r.Timestamp.ToOffset(TimeSpan.FromHours(7)).Hour is >= 13 and <= 15).Average(r => r.Get(Quantity.Pm25));

        evening.Should().BeGreaterThan(afternoon * 1.3);
    }

    [Fact]
    public void Run_SameInputs_SameReadings()
    {
        List<SimReading> a = Run("danang-typhoon");
        List<SimReading> b = Run("danang-typhoon");

        a.Should().HaveSameCount(b);
        for (int i = 0; i < a.Count; i++)
        {
            a[i].Sensor.Id.Should().Be(b[i].Sensor.Id);
            a[i].Timestamp.Should().Be(b[i].Timestamp);
            a[i].Seq.Should().Be(b[i].Seq);
            a[i].Values.Should().Equal(b[i].Values);
        }
    }

    [Fact]
    public void Run_OtherSeed_OtherNoise()
    {
        Scenario scenario = Load("calm");
        List<SimReading> a = [.. new ScenarioEngine(scenario, TestRegistry.Sensors, s_start).Run()];
        scenario.Seed++;
        List<SimReading> b = [.. new ScenarioEngine(scenario, TestRegistry.Sensors, s_start).Run()];

        a.Select(r => r.Get(Quantity.Battery)).Should().NotEqual(b.Select(r => r.Get(Quantity.Battery)));
    }

    [Fact]
    public void Run_Order_TimeOrderedWithPerDeviceSeqAndInterval()
    {
        List<SimReading> readings = Run("calm");

        readings.Select(r => r.Timestamp).Should().BeInAscendingOrder();
        readings.Should().OnlyContain(r => r.Timestamp >= s_start && r.Timestamp <= s_start.AddHours(24));
        foreach (IGrouping<string, SimReading> device in readings.GroupBy(r => r.Sensor.Id))
        {
            device.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, device.Count()).Select(i => (long)i));
            int interval = device.First().Sensor.ReportingIntervalSeconds;
            device.Zip(device.Skip(1), (x, y) => (y.Timestamp - x.Timestamp).TotalSeconds).Should().OnlyContain(d => d == interval);
            device.Count().Should().BeInRange((24 * 3600 / interval) - 1, (24 * 3600 / interval) + 1);
        }
    }

    [Fact]
    public void Encode_EveryReadingOfAScenario_DecodesWithTheIngestDecoder()
    {
        var decoder = new TelemetryDecoder(new ManualTimeProvider(s_start.AddDays(4)));
        var buffer = new TelemetryReading[8];
        foreach (SimReading reading in Run("danang-typhoon"))
        {
            byte[] payload = PayloadEncoder.Encode(reading, reading.Seq, TimestampMode.Simulated);
            DecodeResult result = decoder.Decode(payload, reading.Sensor.Id, reading.Sensor.Province, buffer, out int written);

            result.IsSuccess.Should().BeTrue($"{System.Text.Encoding.UTF8.GetString(payload)}: {result}");
            written.Should().Be(1);
            buffer[0].Timestamp.Should().Be(reading.Timestamp);
            buffer[0].Count.Should().Be(reading.Values.Length);
            for (int i = 0; i < reading.Values.Length; i++)
            {
                buffer[0].TryGetValue(reading.Values[i].Quantity, out double v).Should().BeTrue();
                v.Should().Be(reading.Values[i].Value);
            }
        }
    }

    [Fact]
    public void RegistryLoader_MissingLevelI_FilledBelowII()
    {
        SimSensor camle = TestRegistry.Sensors.Single(s => s.Id == "dn-camle-wl");

        camle.Alarm.Should().Be(new AlarmLevels(1.5, 2.0, 2.5));
    }

    [Theory]
    [InlineData("calm")]
    [InlineData("danang-typhoon")]
    [InlineData("hanoi-smog")]
    public void ScenarioLoader_BuiltIn_ParsesWithNameAndSpeed(string name)
    {
        Scenario scenario = Load(name);

        scenario.Name.Should().Be(name);
        scenario.Speed.Should().BePositive();
        scenario.DurationHours.Should().BePositive();
    }

    [Theory]
    [InlineData("name: x\ndurationHours: 0\n")]
    [InlineData("name: x\nrain:\n  danang: [[1, 2], [0, 3]]\n")]
    [InlineData("name: x\nrivers:\n  danang: { recessionHours: 0 }\n")]
    [InlineData("name: x\nrain:\n  danang: [[1]]\n")]
    public void ScenarioLoader_Invalid_ThrowsFormatException(string yaml)
    {
        Action act = () => ScenarioLoader.Parse(yaml);

        act.Should().Throw<FormatException>();
    }
}
