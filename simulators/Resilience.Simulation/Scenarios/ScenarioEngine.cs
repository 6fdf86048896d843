using Resilience.Ingest.Pipeline;
using Resilience.Simulation.Registry;

namespace Resilience.Simulation.Scenarios;

/// <summary>
/// Produces a scenario's readings over simulated time. Pure: the same scenario, sensors and start give the same
/// sequence (ordered by time, then by sensor). Each sensor has its own random stream seeded from the scenario
/// seed and its id, so adding a sensor does not change the others' readings.
/// </summary>
public sealed class ScenarioEngine
{
    private const double LocalUtcOffsetHours = 7; // Vietnam (ICT) for diurnal cycles

    private readonly Scenario _scenario;
    private readonly IReadOnlyList<SimSensor> _sensors;
    private readonly Dictionary<string, RiverCurve> _rivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Keyframes> _rain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Keyframes> _episodes = new(StringComparer.Ordinal);

    /// <summary>Prepares the engine; <paramref name="start"/> is the simulated start time.</summary>
    public ScenarioEngine(Scenario scenario, IReadOnlyList<SimSensor> sensors, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(sensors);
        _scenario = scenario;
        _sensors = sensors;
        Start = start;
        foreach ((string key, List<List<double>> frames) in scenario.Rain)
        {
            _rain[key] = new Keyframes(frames, "rain." + key);
        }

        foreach ((string key, List<List<double>> frames) in scenario.Air.Episodes)
        {
            _episodes[key] = new Keyframes(frames, "air.episodes." + key);
        }
    }

    /// <summary>Simulated start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Simulated end.</summary>
    public DateTimeOffset End => Start + TimeSpan.FromHours(_scenario.DurationHours);

    /// <summary>The sensors, by index.</summary>
    public IReadOnlyList<SimSensor> Sensors => _sensors;

    /// <summary>Every reading of the scenario, in simulated-time order.</summary>
    public IEnumerable<SimReading> Run()
    {
        double duration = _scenario.DurationHours * 3600;
        var queue = new PriorityQueue<int, (double Due, int Index)>();
        var states = new SensorState[_sensors.Count];
        for (int i = 0; i < _sensors.Count; i++)
        {
            SimSensor sensor = _sensors[i];
            var random = new Random(HashCode32(_scenario.Seed, sensor.Id));
            int interval = _scenario.ReportingIntervalSeconds ?? sensor.ReportingIntervalSeconds;
            states[i] = new SensorState(random, interval, 0.95 + (0.1 * random.NextDouble()), (random.NextDouble() - 0.5) * 2 * 3600);
            double phase = Math.Floor(random.NextDouble() * interval);
            queue.Enqueue(i, (phase, i));
        }

        while (queue.TryDequeue(out int index, out (double Due, int Index) key))
        {
            if (key.Due > duration)
            {
                continue;
            }

            SensorState state = states[index];
            state.Seq++;
            yield return new SimReading(_sensors[index], index, Start + TimeSpan.FromSeconds(key.Due), state.Seq, Values(index, state, key.Due));
            queue.Enqueue(index, (key.Due + state.Interval, index));
        }
    }

    /// <summary>The river level in alarm units for a gauge at <paramref name="seconds"/> (noise-free; for tests and docs).</summary>
    public double AlarmUnitsAt(SimSensor gauge, double seconds) => River(gauge).At(seconds);

    /// <summary>Maps alarm units to metres for a gauge's levels: 0 = I − 1.5·(II − I), 1 = I, 2 = II, 3 = III, beyond III by (III − II).</summary>
    public static double ToMetres(AlarmLevels levels, double alarmUnits)
    {
        ArgumentNullException.ThrowIfNull(levels);
        double d1 = levels.II - levels.I;
        double d2 = levels.III - levels.II;
        return alarmUnits switch
        {
            <= 1 => levels.I - ((1 - alarmUnits) * 1.5 * d1),
            <= 2 => levels.I + ((alarmUnits - 1) * d1),
            <= 3 => levels.II + ((alarmUnits - 2) * d2),
            _ => levels.III + ((alarmUnits - 3) * d2),
        };
    }

    private QuantityValue[] Values(int index, SensorState state, double seconds)
    {
        SimSensor sensor = _sensors[index];
        Random random = state.Random;
        NoiseSettings noise = _scenario.Noise;
        double hour = seconds / 3600;
        double battery = Math.Round(Math.Clamp(4.15 - (0.0015 * hour) + (0.005 * Gaussian(random)), 3.3, 4.2), 3);
        DateTimeOffset ts = Start + TimeSpan.FromSeconds(seconds);
        double localHour = (ts.UtcDateTime.TimeOfDay.TotalHours + LocalUtcOffsetHours) % 24;
        double rainNow = RainFor(sensor).At(hour);
        switch (sensor.Kind)
        {
            case SensorKind.WaterLevel:
            {
                double alarm = River(sensor).At(seconds - state.LagJitterSeconds) * state.Scale;
                double metres = ToMetres(sensor.Alarm!, alarm) + (noise.WaterLevelM * Gaussian(random));
                return [new(Quantity.WaterLevel, Math.Round(metres, 3)), new(Quantity.Battery, battery)];
            }

            case SensorKind.Rain:
            {
                double mid = hour - (state.Interval / 7200.0);
                double mm = RainFor(sensor).At(mid) * state.Interval / 3600.0;
                mm = mm <= 0 ? 0 : Math.Max(0, mm * (1 + (noise.RainFraction * Gaussian(random))));
                return [new(Quantity.Rainfall, Math.Round(mm, 2)), new(Quantity.Battery, battery)];
            }

            case SensorKind.AirQuality:
            {
                AirSettings air = _scenario.Air;
                double basePm = Lookup(air.BasePm25, sensor.Province, 25);
                double episode = _episodes.TryGetValue(sensor.Province, out Keyframes? e) ? e.At(hour) : 0;
                double washout = 1 / (1 + (rainNow / 20));
                double pm25 = Math.Max(1, ((basePm * (1 + (air.DiurnalAmplitude * Diurnal(localHour)))) + episode) * washout);
                double traffic = 1 + (air.DiurnalAmplitude * Diurnal(localHour));
                double sun = Math.Max(0, Math.Sin(Math.PI * (localHour - 6) / 12));
                double f = noise.AirFraction;
                return
                [
                    new(Quantity.Pm25, Noisy(pm25, f, random)),
                    new(Quantity.Pm10, Noisy(pm25 * 1.7, f, random)),
                    new(Quantity.O3, Noisy(30 + (70 * sun), f, random)),
                    new(Quantity.No2, Noisy((18 * traffic) + (0.25 * pm25), f, random)),
                    new(Quantity.So2, Noisy(8 + (0.08 * pm25), f, random)),
                    new(Quantity.Co, Noisy((550 * traffic) + (10 * pm25), f, random)),
                ];
            }

            default:
            {
                WeatherSettings weather = _scenario.Weather;
                double swing = Math.Sin(2 * Math.PI * (localHour - 9) / 24);
                double temperature = Lookup(weather.TemperatureC, sensor.Province, 27) + (weather.DiurnalC * swing) - Math.Min(3, rainNow / 10)
                    + (noise.TemperatureC * Gaussian(random));
                double humidity = Math.Clamp(weather.HumidityPercent - (12 * swing) + Math.Min(20, rainNow) + Gaussian(random), 20, 100);
                return
                [
                    new(Quantity.Temperature, Math.Round(temperature, 1)),
                    new(Quantity.Humidity, Math.Round(humidity, 1)),
                    new(Quantity.Battery, battery),
                ];
            }
        }
    }

    /// <summary>A diurnal shape in [−1, 1] with morning (≈8 h) and evening (≈20 h) traffic peaks and an afternoon low.</summary>
    private static double Diurnal(double localHour) =>
        (0.6 * Math.Cos(2 * Math.PI * (localHour - 20) / 24)) + (0.4 * Math.Cos(2 * Math.PI * (localHour - 8) / 12));

    private static double Noisy(double value, double fraction, Random random) =>
        Math.Round(Math.Max(0.1, value * (1 + (fraction * Gaussian(random)))), 1);

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − u keeps the log away from zero.
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Lookup(Dictionary<string, double> map, string province, double fallback) =>
        map.TryGetValue(province, out double v) ? v : map.TryGetValue("default", out double d) ? d : fallback;

    private Keyframes RainFor(SimSensor sensor)
    {
        if (sensor.Zone is { } zone && _rain.TryGetValue(zone, out Keyframes? z))
        {
            return z;
        }

        return _rain.TryGetValue(sensor.Province, out Keyframes? p) ? p : _rain.TryGetValue("default", out Keyframes? d) ? d : Keyframes.Zero;
    }

    private RiverCurve River(SimSensor gauge)
    {
        string key = gauge.Zone is { } zone && (_scenario.Rivers.ContainsKey(zone) || _rain.ContainsKey(zone)) ? zone : gauge.Province;
        if (!_rivers.TryGetValue(key, out RiverCurve? curve))
        {
            RiverSettings settings = _scenario.Rivers.TryGetValue(key, out RiverSettings? r) ? r
                : _scenario.Rivers.TryGetValue(gauge.Province, out RiverSettings? p) ? p
                : _scenario.Rivers.TryGetValue("default", out RiverSettings? d) ? d
                : new RiverSettings();
            curve = new RiverCurve(RainFor(gauge), settings, _scenario.DurationHours);
            _rivers[key] = curve;
        }

        return curve;
    }

    /// <summary>FNV-1a over the id mixed with the seed: stable across processes (unlike string.GetHashCode).</summary>
    private static int HashCode32(int seed, string id)
    {
        uint hash = 2166136261u ^ (uint)seed;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private sealed class SensorState(Random random, int interval, double scale, double lagJitterSeconds)
    {
        public Random Random { get; } = random;

        public int Interval { get; } = interval;

        public double Scale { get; } = scale;

        public double LagJitterSeconds { get; } = lagJitterSeconds;

        public long Seq { get; set; }
    }
}
