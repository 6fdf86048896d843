using Resilience.Silo.AirQuality;

namespace Resilience.Silo.Tests.AirQuality;

public sealed class UsAqiTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(9.0, 50)]
    [InlineData(9.1, 51)]
    [InlineData(12.0, 56)]
    [InlineData(35.4, 100)]
    [InlineData(35.49, 100)]
    [InlineData(35.5, 101)]
    [InlineData(55.4, 150)]
    [InlineData(55.5, 151)]
    [InlineData(125.4, 200)]
    [InlineData(125.5, 201)]
    [InlineData(225.4, 300)]
    [InlineData(225.5, 301)]
    [InlineData(325.4, 500)]
    [InlineData(600, 500)]
    public void SubIndex_Pm25BandEdges_Match2024Table(double concentration, int expected)
    {
        UsAqi.SubIndex(UsPollutant.Pm25, concentration).Should().Be(expected);
    }

    [Theory]
    [InlineData(UsPollutant.O3EightHour, 0.054, 50)]
    [InlineData(UsPollutant.O3EightHour, 0.0549, 50)]
    [InlineData(UsPollutant.O3EightHour, 0.055, 51)]
    [InlineData(UsPollutant.O3EightHour, 0.0709, 100)]
    [InlineData(UsPollutant.O3OneHour, 0.125, 101)]
    [InlineData(UsPollutant.Pm10, 54.9, 50)]
    [InlineData(UsPollutant.Pm10, 55, 51)]
    [InlineData(UsPollutant.Co, 4.49, 50)]
    [InlineData(UsPollutant.Co, 4.5, 51)]
    [InlineData(UsPollutant.No2, 100.9, 100)]
    [InlineData(UsPollutant.No2, 101, 101)]
    [InlineData(UsPollutant.So2, 75, 100)]
    public void SubIndex_TruncatesBeforeLookup(UsPollutant pollutant, double concentration, int expected)
    {
        UsAqi.SubIndex(pollutant, concentration).Should().Be(expected);
    }

    [Fact]
    public void SubIndex_O3OneHourBelowTable_IsNullAndEightHourAboveTable_IsNull()
    {
        UsAqi.SubIndex(UsPollutant.O3OneHour, 0.124).Should().BeNull();
        UsAqi.SubIndex(UsPollutant.O3EightHour, 0.201).Should().BeNull();
    }

    [Fact]
    public void SubIndex_So2OneHour_CappedAt200()
    {
        UsAqi.SubIndex(UsPollutant.So2, 500).Should().Be(200);
    }

    [Fact]
    public void FromMicrogramsPerCubicMetre_UsesMolarVolumeAt25C()
    {
        UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.No2, 100).Should().BeApproximately(53.14, 0.01);
        UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.O3OneHour, 196.3).Should().BeApproximately(0.1, 0.0001);
        UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.Co, 1145.6).Should().BeApproximately(1.0, 0.001);
        UsAqi.FromMicrogramsPerCubicMetre(UsPollutant.So2, 262.0).Should().BeApproximately(100, 0.1);
    }

    [Fact]
    public void Combine_TakesLargestSubIndex()
    {
        (int Aqi, string Dominant)? r = UsAqi.Combine(("pm25", UsPollutant.Pm25, 35.5), ("no2", UsPollutant.No2, 53.0), ("o3", UsPollutant.O3EightHour, null));

        r.Should().Be((101, "pm25"));
    }
}
