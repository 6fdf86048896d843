using Resilience.Alerts.Rules;
using Resilience.Silo.Registry;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.Registry;

public sealed class RegistryLoaderTests
{
    private const string Head = """
        provinces:
          - id: danang
            name: Đà Nẵng
        zones:
          - id: z1
            province: danang
            name: Zone
        """;

    [Fact]
    public void Parse_TestRegistry_BuildsZonesWithTheirGauges()
    {
        SensorRegistry r = TestRegistry.Create();

        r.Sensors.Should().HaveCount(6);
        r.ZonesById["z1"].Gauges.Should().Equal("g1");
        r.ZonesById["z2"].Gauges.Should().Equal("g2", "g3");
        r.SensorsById["g1"].AlarmLevels.Should().Be(new AlarmLevels(1.0, 2.0, 2.5, "test", false));
        r.SensorsById["g1"].Limits.FlatLineMinutes.Should().Be(30);
        r.SensorsById["a1"].Ordinal.Should().Be(5);
    }

    [Theory]
    [InlineData("  - { id: s1, province: atlantis, kind: rain, zone: z1, lat: 1, lon: 1 }", "unknown province 'atlantis'")]
    [InlineData("  - { id: s1, province: danang, kind: rain, zone: nowhere, lat: 1, lon: 1 }", "unknown zone 'nowhere'")]
    [InlineData("  - { id: S_1, province: danang, kind: weather, lat: 1, lon: 1 }", "sensor id 'S_1' must match")]
    [InlineData("  - { id: z1, province: danang, kind: weather, lat: 1, lon: 1 }", "duplicate id 'z1'")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1 }", "needs alarmLevels")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: null, II: null, III: null, source: x } }", "at least one of I, II, III")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: 3, II: null, III: 2, source: x } }", "alarm levels must increase")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: null, II: 2, III: 3, source: x, verified: true } }", "cannot be verified while a level is unknown")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: 1, II: 2, III: 3 } }", "need a source")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: 2, II: 1.5, III: 3, source: x } }", "alarm levels must increase")]
    [InlineData("  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: 1, II: 2, III: 2, source: x } }", "alarm levels must increase")]
    [InlineData("  - { id: s1, province: danang, kind: sonar, lat: 1, lon: 1 }", "unknown kind 'sonar'")]
    [InlineData("  - { id: s1, province: danang, kind: rain, lat: 1, lon: 1 }", "must name its zone")]
    [InlineData("  - { id: s1, province: danang, kind: weather, lat: 100, lon: 1 }", "lat/lon")]
    [InlineData("  - { id: s1, province: danang, kind: weather, lat: 1, lon: 1, colour: red }", "YAML error")]
    public void Parse_InvalidSensor_ReportsClearError(string sensorLine, string expected)
    {
        string yaml = Head + "\nsensors:\n" + sensorLine + "\n";

        Action parse = () => RegistryLoader.Parse(yaml, "registry.yaml");

        parse.Should().Throw<RegistryException>()
            .Which.Errors.Should().Contain(e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PartlyUnknownAlarmLevels_KeepsTheUnknownOnesNull()
    {
        string yaml = Head + "\nsensors:\n  - { id: s1, province: danang, kind: water_level, zone: z1, lat: 1, lon: 1, alarmLevels: { I: ~, II: 2.0, III: 2.5, source: \"https://tienphong.vn/x\" } }\n";

        AlarmLevels levels = RegistryLoader.Parse(yaml, "registry.yaml").SensorsById["s1"].AlarmLevels!;

        levels.Should().Be(new AlarmLevels(null, 2.0, 2.5, "https://tienphong.vn/x", false));
        levels.Classify(1.9).Should().Be(0, "an unknown alarm I is never reached");
        levels.Classify(2.0).Should().Be(2);
        levels.Lowest.Should().Be(2.0);
    }

    [Fact]
    public void Parse_SeveralProblems_ListsThemAll()
    {
        string yaml = Head + """

            sensors:
              - { id: s1, province: nowhere, kind: weather, lat: 1, lon: 1 }
              - { id: s1, province: danang, kind: weather, lat: 1, lon: 1 }
            """;

        RegistryException ex = Assert.Throws<RegistryException>(() => RegistryLoader.Parse(yaml, "r.yaml"));

        ex.Errors.Should().HaveCount(2);
        ex.Message.Should().Contain("r.yaml").And.Contain("unknown province").And.Contain("duplicate id 's1'");
    }

    [Fact]
    public void Parse_ZoneInUnknownProvinceOrOpenPolygon_Rejected()
    {
        const string yaml = """
            provinces: [{ id: hanoi, name: Hà Nội }]
            zones:
              - { id: z1, province: danang, name: a }
              - { id: z2, province: hanoi, name: b, polygon: [[1, 1], [2, 2], [3, 1]] }
            """;

        RegistryException ex = Assert.Throws<RegistryException>(() => RegistryLoader.Parse(yaml, "r.yaml"));

        ex.Errors.Should().Contain(e => e.Contains("zone 'z1': unknown province 'danang'", StringComparison.Ordinal));
        ex.Errors.Should().Contain(e => e.Contains("closed ring", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dn-camle-wl", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("Abc", false)]
    [InlineData("a/b", false)]
    [InlineData("a_b", false)]
    public void IsValidId_FollowsTopicSyntax(string id, bool valid)
    {
        RegistryLoader.IsValidId(id).Should().Be(valid);
        RegistryLoader.IsValidId(new string('a', 65)).Should().BeFalse();
    }
}
