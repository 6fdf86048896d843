using Resilience.Ingest.Pipeline;
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

        AirQualityView view = await SensorGrainTests.AirViewAsync(silo, "a1");

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

        AirQualityView view = await SensorGrainTests.AirViewAsync(silo, "a1");

        view.VnAqi.Should().BeNull();
        view.Band.Should().BeNull();
        view.Name.Should().Be("Hải Châu");
    }

    [Fact]
    public async Task GetViewAsync_StationFallsSilent_NoLongerShowsItsAqiAsCurrent()
    {
        await using TestSilo silo = await TestSilo.StartAsync();
        long start = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();
        long last = 0;
        for (int quarter = 0; quarter < 12; quarter++)
        {
            last = start + (quarter * 900_000L);
            await silo.Grain<ISensorGrain>("a1").RecordAsync(SensorGrainTests.Reading(last, -1, (Quantity.Pm25, 120.0)));
        }

        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(last + 60_000));
        AirQualityView live = await SensorGrainTests.AirViewAsync(silo, "a1");
        live.Freshness.Should().Be("current");
        live.VnAqi.Should().NotBeNull();
        live.Band.Should().NotBeNull();
        int aqi = live.VnAqi!.Value;
        silo.Writer.Of("aqi").Should().OnlyContain(p => p.TimestampNs % 900_000_000_000L == start * 1_000_000 % 900_000_000_000L,
            "each aqi point carries the time of the reading behind it, never the silo clock");
        silo.Writer.Of("aqi")[^1].TimestampNs.Should().BeLessThanOrEqualTo(last * 1_000_000);

        // a1 reports every 300 s: 15 minutes and one second of silence makes it stale.
        silo.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(last + 901_000));
        AirQualityView stale = await SensorGrainTests.AirViewAsync(silo, "a1");
        stale.Freshness.Should().Be("stale");
        stale.VnAqi.Should().BeNull("a day-old index must not look current");
        stale.UsAqi.Should().BeNull();
        stale.Band.Should().BeNull();
        stale.LastVnAqi.Should().Be(aqi);
        stale.LastUsAqi.Should().Be(live.UsAqi);
        stale.Updated.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(last));
        SensorView sensor = await SensorGrainTests.ViewAsync(silo, "a1", false);
        sensor.Freshness.Should().Be("stale");
        sensor.Values["pm25"].Current.Should().BeFalse();
        sensor.StaleAfterSeconds.Should().Be(900);
    }
}
