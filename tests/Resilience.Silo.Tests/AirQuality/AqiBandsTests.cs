using Resilience.Silo.AirQuality;

namespace Resilience.Silo.Tests.AirQuality;

public sealed class AqiBandsTests
{
    [Theory]
    [InlineData(0, "good", "Tốt", "#00E400")]
    [InlineData(50, "good", "Tốt", "#00E400")]
    [InlineData(51, "moderate", "Trung bình", "#FFFF00")]
    [InlineData(150, "poor", "Kém", "#FF7E00")]
    [InlineData(151, "bad", "Xấu", "#FF0000")]
    [InlineData(300, "very-bad", "Rất xấu", "#8F3F97")]
    [InlineData(301, "hazardous", "Nguy hại", "#7E0023")]
    public void For_BandEdges_MatchBang1(int aqi, string key, string vi, string color)
    {
        var band = AqiBands.For(aqi);

        band.Key.Should().Be(key);
        band.Vi.Should().Be(vi);
        band.Color.Should().Be(color);
        band.AdviceVi.Should().NotBeNullOrWhiteSpace();
        band.AdviceEn.Should().NotBeNullOrWhiteSpace();
    }
}
