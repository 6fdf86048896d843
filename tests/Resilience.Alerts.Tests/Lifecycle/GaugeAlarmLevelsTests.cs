using System.Text.Json;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Tests.Lifecycle;

public sealed class GaugeAlarmLevelsTests
{
    [Fact]
    public void Json_GaugeWithItsLevels_StaysFlatAsTheLedgerStoresItAndRoundTrips()
    {
        var levels = new GaugeAlarmLevels("dn-camle-wl", "Cẩm Lệ (Hàn)", new AlarmLevels(null, 2.0, 2.5, "https://tienphong.vn/x.tpo", false));

        string json = JsonSerializer.Serialize(levels, AlertJsonContext.Default.GaugeAlarmLevels);
        GaugeAlarmLevels back = JsonSerializer.Deserialize(json, AlertJsonContext.Default.GaugeAlarmLevels)!;

        using JsonDocument doc = JsonDocument.Parse(json);
        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("gaugeId", "name", "i", "ii", "iii", "source", "verified");
        doc.RootElement.GetProperty("i").ValueKind.Should().Be(JsonValueKind.Null, "an unknown level stays unknown");
        back.Should().Be(levels);
        back.Levels.Classify(2.4).Should().Be(2);
    }
}
