using System.Text;
using Resilience.Ingest.Pipeline;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2026-11-22T03:15:00Z", "2026-11-22T03:15:00.0000000+00:00")]
    [InlineData("2026-11-22t03:15:00z", "2026-11-22T03:15:00.0000000+00:00")]
    [InlineData("2026-11-22 03:15:00Z", "2026-11-22T03:15:00.0000000+00:00")]
    [InlineData("2026-11-22T10:15:00+07:00", "2026-11-22T10:15:00.0000000+07:00")]
    [InlineData("2026-11-22T03:15:00.5-01:30", "2026-11-22T03:15:00.5000000-01:30")]
    [InlineData("2026-11-22T03:15:00.123456789Z", "2026-11-22T03:15:00.1234567+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    public void TryParse_Valid_ReturnsTheInstant(string text, string expected)
    {
        Rfc3339.TryParse(Encoding.UTF8.GetBytes(text), out DateTimeOffset value).Should().BeTrue();

        value.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        value.Offset.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset);
    }

    [Theory]
    [InlineData("2026-11-22T03:15:00")]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T03:15Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2026-11-22T24:00:00Z")]
    [InlineData("2026-11-22T03:15:60Z")]
    [InlineData("2026-11-22T03:15:00.Z")]
    [InlineData("2026-11-22T03:15:00+0700")]
    [InlineData("2026-11-22T03:15:00+07:00x")]
    [InlineData("20261122T031500Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Rfc3339.TryParse(Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();
    }
}
