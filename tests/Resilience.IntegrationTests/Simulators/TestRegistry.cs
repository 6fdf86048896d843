using Resilience.Simulation.Registry;

namespace Resilience.IntegrationTests.Simulators;

/// <summary>A small registry in the docs/architecture.md schema, with gauges whose levels mirror DOMAIN.md §3.2.</summary>
internal static class TestRegistry
{
    public const string Yaml = """
        provinces:
          - id: danang
            name: Đà Nẵng
          - id: hanoi
            name: Hà Nội
        zones:
          - id: danang-camle
            province: danang
            name: Cẩm Lệ (sông Hàn)
            area: Cẩm Lệ
            polygon: [[16.01, 108.19], [16.03, 108.21], [16.00, 108.23], [16.01, 108.19]]
            kOfN: 1
          - id: danang-vugia
            province: danang
            name: Vu Gia
            area: Đại Lộc
            polygon: [[15.85, 108.05], [15.87, 108.10], [15.83, 108.10], [15.85, 108.05]]
            kOfN: 1
          - id: hanoi-longbien
            province: hanoi
            name: Long Biên
            area: Long Biên
            polygon: [[21.04, 105.85], [21.05, 105.87], [21.03, 105.87], [21.04, 105.85]]
            kOfN: 1
        sensors:
          - id: dn-camle-wl
            province: danang
            kind: water_level
            name: Cẩm Lệ (Hàn)
            area: Cẩm Lệ
            zone: danang-camle
            lat: 16.016
            lon: 108.207
            reportingIntervalSeconds: 300
            alarmLevels:
              II: 2.0
              III: 2.5
              source: "DOMAIN.md §3.2 S5,S6"
              verified: false
          - id: dn-ainghia-wl
            province: danang
            kind: water_level
            name: Ái Nghĩa (Vu Gia)
            area: Đại Lộc
            zone: danang-vugia
            lat: 15.88
            lon: 108.11
            reportingIntervalSeconds: 300
            alarmLevels: { I: 6.5, II: 8.0, III: 9.0, source: "DOMAIN.md §3.2", verified: false }
          - id: dn-hoian-wl
            province: danang
            kind: water_level
            name: Hội An (Thu Bồn)
            area: Hội An
            zone: danang-vugia
            lat: 15.88
            lon: 108.33
            reportingIntervalSeconds: 600
            alarmLevels: { I: 1.0, II: 1.5, III: 2.0 }
          - id: dn-camle-rain
            province: danang
            kind: rain
            name: Cẩm Lệ rain
            area: Cẩm Lệ
            zone: danang-camle
            lat: 16.02
            lon: 108.20
            reportingIntervalSeconds: 600
          - id: hn-longbien-wl
            province: hanoi
            kind: water_level
            name: Long Biên (Hồng)
            area: Long Biên
            zone: hanoi-longbien
            lat: 21.04
            lon: 105.86
            reportingIntervalSeconds: 600
            alarmLevels: { I: 9.5, II: 10.5, III: 11.5 }
          - id: hn-hoankiem-aq
            province: hanoi
            kind: air_quality
            name: Hoàn Kiếm
            area: Hoàn Kiếm
            lat: 21.03
            lon: 105.85
            reportingIntervalSeconds: 600
          - id: dn-haichau-wx
            province: danang
            kind: weather
            name: Hải Châu
            area: Hải Châu
            lat: 16.06
            lon: 108.22
            reportingIntervalSeconds: 900
        """;

    public static IReadOnlyList<SimSensor> Sensors => RegistryLoader.Parse(Yaml);

    /// <summary>The repository's simulators/scenarios directory, found from the test's output directory.</summary>
    public static string ScenarioPath(string name)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "simulators", "scenarios", name + ".yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"simulators/scenarios/{name}.yaml not found above {AppContext.BaseDirectory}.");
    }
}
