using Resilience.Silo.Registry;

namespace Resilience.Silo.Tests.Support;

internal static class TestRegistry
{
    public const string Yaml = """
        provinces:
          - id: danang
            name: Đà Nẵng
        zones:
          - id: z1
            province: danang
            name: Zone one
            area: Cẩm Lệ
            polygon: [[16.0, 108.1], [16.1, 108.1], [16.1, 108.2], [16.0, 108.1]]
            kOfN: 1
          - id: z2
            province: danang
            name: Zone two
            area: Hội An
            kOfN: 2
          - id: z3
            province: danang
            name: Zone three
            area: Cẩm Lệ
            kOfN: 1
        sensors:
          - id: g1
            province: danang
            kind: water_level
            name: Gauge one
            area: Cẩm Lệ
            zone: z1
            lat: 16.0
            lon: 108.2
            reportingIntervalSeconds: 60
            alarmLevels: { I: 1.0, II: 2.0, III: 2.5, source: "test", verified: false }
            limits: { hardMin: -1.0, hardMax: 15.0, maxRisePerHour: 2.0, flatLineMinutes: 30 }
          - id: g2
            province: danang
            kind: water_level
            name: Gauge two
            area: Hội An
            zone: z2
            lat: 15.9
            lon: 108.3
            alarmLevels: { I: 1.0, II: 1.5, III: 2.0, source: "test" }
          - id: g3
            province: danang
            kind: water_level
            name: Gauge three
            area: Hội An
            zone: z2
            lat: 15.9
            lon: 108.3
            alarmLevels: { I: 6.5, II: 8.0, III: 9.0, source: "test" }
          - id: f1
            province: danang
            kind: water_level
            name: Fast gauge
            area: Cẩm Lệ
            zone: z3
            lat: 16.0
            lon: 108.2
            reportingIntervalSeconds: 1
            alarmLevels: { I: 1.0, II: 2.0, III: 2.5, source: "test" }
          - id: r1
            province: danang
            kind: rain
            name: Rain one
            area: Cẩm Lệ
            zone: z1
            lat: 16.0
            lon: 108.2
          - id: a1
            province: danang
            kind: air_quality
            name: Hải Châu
            area: Hải Châu
            lat: 16.07
            lon: 108.22
            reportingIntervalSeconds: 300
        """;

    public static SensorRegistry Create() => RegistryLoader.Parse(Yaml, "test");
}
