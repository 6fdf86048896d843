namespace Resilience.TestKit;

/// <summary>
/// The alert scenarios every pipeline must reproduce exactly (docs/architecture.md, Alerts). Defaults assumed:
/// water level raises after 2 consecutive readings and clears (or steps down) after 3, clear level = level − 0.1 m;
/// rate of rise ≥ 0.3 m/h over 1 h (clear below 0.15 m/h); heavy rain 1 h ≥ 30/50 mm, 3 h ≥ 50/100 mm,
/// 24 h ≥ 50/100/200/400 mm (clear at 80 %), 2 readings to step down; VN_AQI bands from 101/151/201/301 (clear 10 below),
/// 2 readings each way; offline raises and clears at once; suspect raises at once and clears after 3 good readings.
/// </summary>
public static class AlertScenarios
{
    /// <summary>Every scenario, by name.</summary>
    public static IReadOnlyList<AlertScenario> All { get; } =
    [
        LevelUpAndDown(),
        Hysteresis(),
        DurationAndConsecutive(),
        RateOfRise(),
        ZoneKOfN(),
        RainfallAccumulation(),
        AirQualityBands(),
        OfflineAndSuspect(),
        OscillationDoesNotFlap(),
        ZoneHoldsThroughOscillation(),
    ];

    /// <summary>Finds a scenario by name.</summary>
    public static AlertScenario Get(string name)
    {
        foreach (AlertScenario scenario in All)
        {
            if (scenario.Name == name)
            {
                return scenario;
            }
        }

        throw new ArgumentException($"No scenario '{name}'.", nameof(name));
    }

    private static AlertScenarioSensor Gauge(string id, double i, double ii, double iii, string? zone = null) =>
        new(id, "water_level", "danang", zone, i, ii, iii);

    private static List<AlertScenarioStep> Series(string sensor, string quantity, int everyMinutes, params double[] values)
    {
        var steps = new List<AlertScenarioStep>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            steps.Add(new AlertScenarioStep(TimeSpan.FromMinutes(i * everyMinutes), sensor, quantity, values[i]));
        }

        return steps;
    }

    private static AlertScenario LevelUpAndDown() => new()
    {
        Name = "level-I-II-III-and-back",
        Sensors = [Gauge("dn-camle-wl", 1.0, 2.0, 2.5)],
        ObservedRules = ["water-level"],
        Steps = Series("dn-camle-wl", "water_level", 5,
            0.5, 0.8, 1.05, 1.1, 1.5, 2.05, 2.1, 2.6, 2.7, 2.45, 2.35, 2.3, 2.2, 1.95, 1.85, 1.5, 1.2, 0.95, 0.85, 0.7, 0.6),
        Expected =
        [
            "00:15 dn-camle-wl water-level raised minor",
            "00:30 dn-camle-wl water-level escalated warning",
            "00:40 dn-camle-wl water-level escalated severe",
            "01:00 dn-camle-wl water-level deescalated warning",
            "01:20 dn-camle-wl water-level deescalated minor",
            "01:40 dn-camle-wl water-level resolved minor",
        ],
    };

    private static AlertScenario Hysteresis() => new()
    {
        // Dips to 0.91–0.99 stay above the clear level 0.9: no clear until three readings below it.
        Name = "hysteresis",
        Sensors = [Gauge("dn-hoian-wl", 1.0, 1.5, 2.0)],
        ObservedRules = ["water-level"],
        Steps = Series("dn-hoian-wl", "water_level", 5,
            0.8, 1.02, 1.04, 0.98, 0.93, 0.91, 0.97, 1.01, 0.92, 0.95, 0.89, 0.95, 0.88, 0.87, 0.86),
        Expected =
        [
            "00:10 dn-hoian-wl water-level raised minor",
            "01:10 dn-hoian-wl water-level resolved minor",
        ],
    };

    private static AlertScenario DurationAndConsecutive() => new()
    {
        // This gauge needs 3 consecutive readings and 10 minutes both ways (configured per sensor).
        Name = "duration-and-consecutive",
        Sensors = [Gauge("dn-caulau-wl", 1.0, 2.0, 3.0)],
        Configuration = new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Rules:0:Id"] = "water-level",
            ["Resilience:Alerts:Rules:0:Kind"] = "Level",
            ["Resilience:Alerts:Rules:0:Sensor"] = "dn-caulau-wl",
            ["Resilience:Alerts:Rules:0:ConsecutiveReadings"] = "3",
            ["Resilience:Alerts:Rules:0:MinDuration"] = "00:10:00",
        },
        ObservedRules = ["water-level"],
        Steps = Series("dn-caulau-wl", "water_level", 2,
            0.5, 1.2, 1.3, 0.8, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
        Expected =
        [
            "00:18 dn-caulau-wl water-level raised minor",
            "00:30 dn-caulau-wl water-level resolved minor",
        ],
    };

    private static AlertScenario RateOfRise()
    {
        // +0.1 m per 10 min (0.6 m/h) for an hour, then flat: raised once the window spans 30 min (2 readings),
        // resolved when the 1-h rise falls below 0.15 m/h for 3 readings. Alarm levels are far above.
        var values = new List<double>();
        for (int i = 0; i <= 6; i++)
        {
            values.Add(0.2 + (0.1 * i));
        }

        for (int i = 7; i <= 14; i++)
        {
            values.Add(0.8);
        }

        return new AlertScenario
        {
            Name = "rate-of-rise",
            Sensors = [Gauge("dn-aighia-wl", 6.5, 8.0, 9.0)],
            Steps = Series("dn-aighia-wl", "water_level", 10, [.. values]),
            Expected =
            [
                "00:40 dn-aighia-wl rate-of-rise raised warning",
                "02:10 dn-aighia-wl rate-of-rise resolved warning",
            ],
        };
    }

    private static AlertScenario ZoneKOfN() => new()
    {
        // 2 of 3 gauges must be in alarm. A gauge's held level steps up at once and steps down only after 20 min of
        // readings below its level − 0.05 m (Resilience:Flood defaults), so the zone follows the fall 20 min later.
        Name = "zone-k-of-n",
        Sensors =
        [
            new AlertScenarioSensor("danang-camle", "zone", "danang", null, KOfN: 2),
            Gauge("g1", 1.0, 2.0, 3.0, "danang-camle"),
            Gauge("g2", 1.0, 2.0, 3.0, "danang-camle"),
            Gauge("g3", 1.0, 2.0, 3.0, "danang-camle"),
        ],
        Configuration = new Dictionary<string, string?>
        {
            ["Resilience:Alerts:Rules:0:Id"] = "water-level",
            ["Resilience:Alerts:Rules:0:Zone"] = "danang-camle",
            ["Resilience:Alerts:Rules:0:SensorKind"] = "water_level",
            ["Resilience:Alerts:Rules:0:ConsecutiveReadings"] = "1",
        },
        ObservedRules = ["zone-level"],
        Steps =
        [
            new(TimeSpan.FromMinutes(1), "g1", "water_level", 1.5),
            new(TimeSpan.FromMinutes(2), "g2", "water_level", 1.2),
            new(TimeSpan.FromMinutes(3), "g1", "water_level", 2.2),
            new(TimeSpan.FromMinutes(4), "g3", "water_level", 2.1),
            new(TimeSpan.FromMinutes(5), "g1", "water_level", 0.5),
            new(TimeSpan.FromMinutes(6), "g2", "water_level", 0.5),
            new(TimeSpan.FromMinutes(15), "g1", "water_level", 0.5),
            new(TimeSpan.FromMinutes(15), "g2", "water_level", 0.5),
            new(TimeSpan.FromMinutes(15), "g3", "water_level", 2.1),
            new(TimeSpan.FromMinutes(25), "g1", "water_level", 0.5),
            new(TimeSpan.FromMinutes(26), "g2", "water_level", 0.5),
        ],
        Expected =
        [
            "00:02 danang-camle zone-level raised minor",
            "00:04 danang-camle zone-level escalated warning",
            "00:25 danang-camle zone-level deescalated minor",
            "00:26 danang-camle zone-level resolved minor",
        ],
    };

    private static AlertScenario RainfallAccumulation()
    {
        // 6 mm per 5 min for 85 min (102 mm), then dry reports every 5 min for 25 h.
        var steps = new List<AlertScenarioStep>();
        for (int minute = 5; minute <= 25 * 60; minute += 5)
        {
            steps.Add(new AlertScenarioStep(TimeSpan.FromMinutes(minute), "dn-rain-1", "rainfall", minute <= 85 ? 6.0 : 0.0));
        }

        return new AlertScenario
        {
            Name = "rainfall-accumulation",
            Sensors = [new AlertScenarioSensor("dn-rain-1", "rain", "danang", "danang-camle")],
            ObservedRules = ["heavy-rain"],
            Steps = steps,
            Expected =
            [
                "00:25 dn-rain-1 heavy-rain raised minor",      // 1 h = 30 mm
                "00:45 dn-rain-1 heavy-rain escalated warning", // 1 h = 54 mm
                "01:25 dn-rain-1 heavy-rain escalated severe",  // 3 h = 102 mm
                "03:25 dn-rain-1 heavy-rain deescalated warning", // 3 h < 80 mm; 24 h = 102 mm still ≥ 80
                "24:25 dn-rain-1 heavy-rain deescalated minor", // 24 h < 80 mm, ≥ 40
                "25:00 dn-rain-1 heavy-rain resolved minor",    // 24 h < 40 mm
            ],
        };
    }

    private static AlertScenario AirQualityBands() => new()
    {
        Name = "air-quality-bands",
        Sensors = [new AlertScenarioSensor("hn-aq-1", "air_quality", "hanoi")],
        ObservedRules = ["air-quality"],
        Steps = Series("hn-aq-1", "vn_aqi", 60, 80, 120, 130, 160, 170, 145, 142, 135, 130, 95, 92, 85, 80),
        Expected =
        [
            "02:00 hn-aq-1 air-quality raised minor",
            "04:00 hn-aq-1 air-quality escalated warning",
            "08:00 hn-aq-1 air-quality deescalated minor",
            "12:00 hn-aq-1 air-quality resolved minor",
        ],
    };

    private static AlertScenario OfflineAndSuspect() => new()
    {
        Name = "offline-and-suspect",
        Sensors = [Gauge("dn-hoikhach-wl", 14.5, 15.5, 16.5)],
        ObservedRules = ["offline", "suspect", "water-level"],
        Steps =
        [
            new(TimeSpan.FromMinutes(1), "dn-hoikhach-wl", "water_level", 10.0),
            new(TimeSpan.FromMinutes(2), "dn-hoikhach-wl", "water_level", 10.1),
            new(TimeSpan.FromMinutes(3), "dn-hoikhach-wl", "water_level", 19.0, "spike,outOfRange"),
            new(TimeSpan.FromMinutes(4), "dn-hoikhach-wl", "water_level", 10.1),
            new(TimeSpan.FromMinutes(5), "dn-hoikhach-wl", "water_level", 10.2),
            new(TimeSpan.FromMinutes(6), "dn-hoikhach-wl", "water_level", 10.2),
            new(TimeSpan.FromMinutes(20), "dn-hoikhach-wl", "status", double.NaN, "stale"),
            new(TimeSpan.FromMinutes(30), "dn-hoikhach-wl", "status", double.NaN, "stale"),
            new(TimeSpan.FromMinutes(35), "dn-hoikhach-wl", "water_level", 10.3),
        ],
        Expected =
        [
            "00:03 dn-hoikhach-wl suspect raised info",
            "00:06 dn-hoikhach-wl suspect resolved info",
            "00:20 dn-hoikhach-wl offline raised minor",
            "00:35 dn-hoikhach-wl offline resolved minor",
        ],
    };

    private static AlertScenario OscillationDoesNotFlap()
    {
        // Level I reached, then an hour oscillating ±0.06 m around alarm level II (period 10 min, one reading a minute).
        var steps = new List<AlertScenarioStep>();
        for (int minute = 0; minute < 10; minute++)
        {
            steps.Add(new AlertScenarioStep(TimeSpan.FromMinutes(minute), "dn-giaothuy-wl", "water_level", 1.2));
        }

        for (int minute = 10; minute <= 70; minute++)
        {
            double value = Math.Round(2.0 + (0.06 * Math.Sin(2 * Math.PI * (minute - 10) / 10.0)), 3);
            steps.Add(new AlertScenarioStep(TimeSpan.FromMinutes(minute), "dn-giaothuy-wl", "water_level", value));
        }

        return new AlertScenario
        {
            Name = "oscillation-does-not-flap",
            Sensors = [Gauge("dn-giaothuy-wl", 1.0, 2.0, 2.5)],
            ObservedRules = ["water-level"],
            Steps = steps,
            Expected =
            [
                "00:01 dn-giaothuy-wl water-level raised minor",
                "00:11 dn-giaothuy-wl water-level escalated warning",
            ],
        };
    }

    private static AlertScenario ZoneHoldsThroughOscillation()
    {
        // Issue 10: one gauge climbs through I, II and III, falls back to II and sits at II ± 2 cm for an hour, then
        // recedes. Before the held levels this zone's alert took 66 versions; now one per persistent level change.
        const string Gauge1 = "dn-hold-wl";
        var values = new List<(int Minute, double Value)>
        {
            (0, 0.5), (5, 0.8), (10, 1.05), (15, 1.4), (20, 1.8), (25, 2.05), (30, 2.5), (35, 3.05), (40, 3.2), (45, 3.1), (50, 2.6),
        };
        for (int minute = 52; minute <= 115; minute++)
        {
            values.Add((minute, minute % 2 == 0 ? 2.02 : 1.98)); // a noisy gauge astride alarm II, one reading a minute
        }

        double[] recession = [1.9, 1.7, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5, 0.4, 0.4, 0.4];
        for (int i = 0; i < recession.Length; i++)
        {
            values.Add((120 + (5 * i), recession[i]));
        }

        var steps = new List<AlertScenarioStep>(values.Count);
        foreach ((int minute, double value) in values)
        {
            steps.Add(new AlertScenarioStep(TimeSpan.FromMinutes(minute), Gauge1, "water_level", value));
        }

        return new AlertScenario
        {
            Name = "zone-holds-through-oscillation",
            Sensors =
            [
                new AlertScenarioSensor("danang-hold", "zone", "danang", null, KOfN: 1),
                Gauge(Gauge1, 1.0, 2.0, 3.0, "danang-hold"),
            ],
            ObservedRules = ["zone-level"],
            Steps = steps,
            Expected =
            [
                "00:10 danang-hold zone-level raised minor",
                "00:25 danang-hold zone-level escalated warning",
                "00:35 danang-hold zone-level escalated severe",
                "01:10 danang-hold zone-level deescalated warning", // below III − 0.05 since 00:50, held 20 min
                "02:20 danang-hold zone-level deescalated minor",   // below II − 0.05 since 02:00
                "02:45 danang-hold zone-level resolved minor",      // below I − 0.05 since 02:25
            ],
        };
    }
}
