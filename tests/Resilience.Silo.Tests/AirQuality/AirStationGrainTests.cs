using Resilience.Ingest.Pipeline;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Api;
using Resilience.Silo.Sensors;
using Resilience.Silo.Tests.Sensors;
using Resilience.Silo.Tests.Support;

namespace Resilience.Silo.Tests.AirQuality;

public sealed class AirStationGrainTests
{
    private static readonly long s_t0 = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public async Task RecordAsync_TwelveHoursOfDecreeData_ServesNowCastAqiAndHistory()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        // The decree's PM2.5 series, oldest first, one reading per hour; O3 and NO2 as in its hourly example.
        double[] pm25 = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6];
        for (int h = 0; h < pm25.Length; h++)
        {
            await silo.Grain<ISensorGrain>("a1").RecordAsync(
                SensorGrainTests.Reading(s_t0 + (h * 3_600_000L) + 60_000, -1, (Quantity.Pm25, pm25[h]), (Quantity.O3, 136.1), (Quantity.No2, 118.7)));
        }

        AirQualityView view = AirQualityViews.Build(silo.Registry.Current.SensorsById["a1"], (await silo.Grain<IAirStationGrain>("a1").GetSnapshotAsync())!);

        view.Pollutants["pm25"].Value.Should().Be(20.3);
        view.Pollutants["pm25"].SubIndex.Should().Be(41);
        view.Pollutants["o3"].SubIndex.Should().Be(43);
        view.VnAqi.Should().Be(59);
        view.Dominant.Should().Be("no2");
        view.Band!.Key.Should().Be("moderate");
        view.UsAqi.Should().NotBeNull();
        view.History.Should().HaveCount(10, "eleven hours have closed, and the first has no NowCast (2 of c1..c3 needed)");
        silo.Writer.Of("aqi").Should().NotBeEmpty();
        RecordedPoint last = silo.Writer.Of("aqi")[^1];
        last.Fields["vn_aqi"].Should().Be(59L);
        last.Fields["dominant"].Should().Be("no2");
        last.Tags["area"].Should().Be("Hải Châu");
    }

    [Fact]
    public async Task GetViewAsync_NoData_HasNoIndex()
    {
        await using TestSilo silo = await TestSilo.StartAsync();

        AirQualityView view = AirQualityViews.Build(silo.Registry.Current.SensorsById["a1"], (await silo.Grain<IAirStationGrain>("a1").GetSnapshotAsync())!);

        view.VnAqi.Should().BeNull();
        view.Band.Should().BeNull();
        view.Name.Should().Be("Hải Châu");
    }
}
