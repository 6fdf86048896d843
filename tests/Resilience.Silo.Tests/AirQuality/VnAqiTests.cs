using Resilience.Silo.AirQuality;

namespace Resilience.Silo.Tests.AirQuality;

/// <summary>The worked examples of Quyết định 1459/QĐ-TCMT §2.3 (DOMAIN.md §1.3) and the breakpoint table.</summary>
public sealed class VnAqiTests
{
    [Fact]
    public void NowCast_DecreeExample_Is20Point3()
    {
        // PM2.5 hourly means 09:00 … 20:00 from §2.3a, newest first (c1 = 20:00).
        double[] c = [20.6, 19.6, 22.4, 20.3, 16.5, 19.0, 16.5, 19.5, 23.5, 20.5, 24.7, 26.9];

        double? nowCast = VnAqi.NowCast(c);

        nowCast.Should().NotBeNull();
        Math.Round(nowCast!.Value, 1).Should().Be(20.3);
        Math.Round(16.5 / 26.9, 2).Should().Be(0.61, "w* = Cmin/Cmax of the example");
    }

    [Fact]
    public void NowCast_FewerThanTwoOfFirstThree_IsNoData()
    {
        VnAqi.NowCast([20, double.NaN, double.NaN, 30, 30]).Should().BeNull();
        VnAqi.NowCast([double.NaN, 20, 22]).Should().NotBeNull();
    }

    [Fact]
    public void NowCast_LowWeight_FloorsAtHalf()
    {
        // w* = 10/100 = 0.1 → w = 0.5: (100 + 0.5·10) / 1.5 = 70.
        VnAqi.NowCast([100, 10]).Should().BeApproximately(70, 1e-9);
    }

    [Theory]
    [InlineData(VnPollutant.O3OneHour, 136.1, 43)]
    [InlineData(VnPollutant.Pm25, 20.3, 41)]
    [InlineData(VnPollutant.O3EightHour, 89.3, 45)]
    [InlineData(VnPollutant.O3OneHour, 114.6, 36)]
    [InlineData(VnPollutant.No2, 130.8, 65)]
    [InlineData(VnPollutant.Pm25, 55.7, 110)]
    public void RoundedSubIndex_DecreeExamples_Match(VnPollutant pollutant, double concentration, int expected)
    {
        VnAqi.RoundedSubIndex(pollutant, concentration).Should().Be(expected);
    }

    [Fact]
    public void RoundedSubIndex_HourlyNo2Example_Is59NotThePrinted60()
    {
        // (100−50)/(200−100)·(118.7−100)+50 = 59.35. The decree prints 60, which contradicts its own daily NO2
        // example under any single rounding rule (65.4 → 65): we treat 60 as a typo (see VnAqi remarks).
        VnAqi.SubIndex(VnPollutant.No2, 118.7).Should().BeApproximately(59.35, 1e-9);
        VnAqi.RoundedSubIndex(VnPollutant.No2, 118.7).Should().Be(59);
    }

    [Fact]
    public void Hourly_DecreeExample_Is59WithNo2Dominant()
    {
        AqiResult? r = VnAqi.Hourly(pm25NowCast: 20.3, pm10NowCast: null, o3: 136.1, no2: 118.7, so2: null, co: null);

        r.Should().NotBeNull();
        r!.Aqi.Should().Be(59, "the decree's 60 follows from its NO2 typo");
        r.Dominant.Should().Be("no2");
        r.SubIndices.Should().Contain(new KeyValuePair<string, int>("o3", 43)).And.Contain(new KeyValuePair<string, int>("pm25", 41));
    }

    [Fact]
    public void Daily_DecreeExample_Is110WithPm25Dominant()
    {
        AqiResult? r = VnAqi.Daily(pm25Mean24h: 55.7, pm10Mean24h: null, o3Max1h: 114.6, o3Max8h: 89.3, no2Max1h: 130.8, so2Max1h: null, coMax1h: null);

        r!.Aqi.Should().Be(110);
        r.Dominant.Should().Be("pm25");
        r.SubIndices["o3"].Should().Be(45, "O3-1h and O3-8h are scored separately and the larger is taken");
    }

    [Fact]
    public void Hourly_WithoutPm_IsNull()
    {
        VnAqi.Hourly(null, null, 100, 100, 10, 1000).Should().BeNull("PM10 or PM2.5 is mandatory");
    }

    [Theory]
    [InlineData(VnPollutant.Pm25, 25, 50)]
    [InlineData(VnPollutant.Pm25, 25.1, 50)]
    [InlineData(VnPollutant.Pm25, 50, 100)]
    [InlineData(VnPollutant.Pm25, 500, 500)]
    [InlineData(VnPollutant.Pm25, 900, 500)]
    [InlineData(VnPollutant.Pm10, 150, 100)]
    [InlineData(VnPollutant.Co, 10_000, 50)]
    [InlineData(VnPollutant.So2, 350, 100)]
    [InlineData(VnPollutant.No2, 700, 150)]
    [InlineData(VnPollutant.O3OneHour, 800, 300)]
    public void RoundedSubIndex_Breakpoints_AreContiguous(VnPollutant pollutant, double concentration, int expected)
    {
        // 25.1 µg/m³ PM2.5 scores 50.2 → 50: there is no EPA-style jump to 51 in the VN table.
        VnAqi.RoundedSubIndex(pollutant, concentration).Should().Be(expected);
    }

    [Fact]
    public void SubIndex_O3EightHourAbove400_IsNull()
    {
        VnAqi.SubIndex(VnPollutant.O3EightHour, 401).Should().BeNull();
        VnAqi.Daily(10, null, 900, 450, null, null, null)!.SubIndices["o3"].Should().Be(350, "then only the 1-hour value counts");
    }

    [Fact]
    public void MaxEightHourMean_DecreeO3Table_Is74Point4()
    {
        // O3 1-h means of §2.2.2a from 18:00 to 00:00 next day; the decree's max 8-h mean is 74.4.
        double[] hourly = [15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7, 22.6, 27.1, 29.0, 31.9, 25.3, 34.7, 35.2, 41.6, 45.7, 49.2, 55.8, 69.6, 78.3, 91.5, 97.7, 81.2, 71.8, 43.5, 34.3, 21.5, 20.5, 19.4, 20.4, 21.3];

        Math.Round(VnAqi.MaxEightHourMean(hourly)!.Value, 1).Should().Be(74.4);
    }
}
