using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Rules;
using Resilience.IntegrationTests.Mqtt;
using Resilience.Silo.Registry;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The checked-in registry and reloading from a file.</summary>
[Trait("Category", "Integration")]
public sealed class RegistryFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void BundledRegistry_IsValidAndCoversTheProvinces()
    {
        SensorRegistry r = RegistryLoader.LoadFile(new RegistryOptions().ResolvedPath);

        r.Provinces.Select(p => p.Id).Should().Contain(["danang", "hanoi", "haiphong", "hochiminh", "bacninh"]);
        r.SensorsById["hn-longbien-wl"].AlarmLevels.Should().Be(new AlarmLevels(9.5, 10.5, 11.5, r.SensorsById["hn-longbien-wl"].AlarmLevels!.Source, true));
        r.SensorsById["dn-camle-wl"].AlarmLevels!.Verified.Should().BeFalse();
        r.SensorsById["dn-camle-wl"].AlarmLevels!.I.Should().BeNull("no source gives Cẩm Lệ's alarm I");
        r.SensorsById["dn-camle-wl"].AlarmLevels!.Source.Should().Contain("https://", "the source cites the bulletins themselves");
        r.Sensors.Where(s => s.Kind == SensorKind.AirQuality && s.Province == "hanoi").Select(s => s.Area).Should().Contain(["Hoàn Kiếm", "Cầu Giấy"]);
        r.Zones.Should().OnlyContain(z => z.Gauges.Count >= z.KOfN);
    }

    [Fact]
    public async Task FileChanged_ValidEditReloads_InvalidEditKeepsTheOld()
    {
        using var dir = new TempDirectory("registry");
        string path = Path.Combine(dir.Path, "registry.yaml");
        const string Valid = "provinces: [{ id: danang, name: Đà Nẵng }]\nsensors:\n  - { id: w1, province: danang, kind: weather, lat: 16, lon: 108 }\n";
        await File.WriteAllTextAsync(path, Valid, Ct);
        using var provider = new RegistryProvider(Options.Create(new RegistryOptions { Path = path }), TimeProvider.System, NullLogger<RegistryProvider>.Instance);
        await provider.StartAsync(Ct);
        provider.Current.Sensors.Should().HaveCount(1);

        await File.WriteAllTextAsync(path, Valid + "  - { id: w2, province: danang, kind: weather, lat: 16, lon: 108 }\n", Ct);
        await Poll.UntilAsync(() => provider.Current.Sensors.Count == 2, "the valid edit to load");

        await File.WriteAllTextAsync(path, Valid + "  - { id: w2, province: nowhere, kind: weather, lat: 16, lon: 108 }\n", Ct);
        provider.TryReload().Should().BeFalse();
        provider.Current.Sensors.Should().HaveCount(2, "an invalid edit keeps the previous registry");
        await provider.StopAsync(Ct);
    }
}
