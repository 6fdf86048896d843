using Resilience.Silo.AirQuality;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;

namespace Resilience.Silo.Api;

/// <summary>Shapes a station's registry entry and grain snapshot into the <c>/api/air-quality</c> JSON.</summary>
internal static class AirQualityViews
{
    /// <summary>The view of an air-quality station.</summary>
    public static AirQualityView Build(SensorInfo sensor, AirQualitySnapshot snapshot, long nowMs)
    {
        var pollutants = new Dictionary<string, PollutantView>(StringComparer.Ordinal);
        foreach (PollutantSnapshot p in snapshot.Pollutants)
        {
            pollutants[p.Name] = new PollutantView(p.Value, p.SubIndex);
        }

        var history = new List<AqiHistoryPointView>(snapshot.History.Length);
        foreach (AqiPoint p in snapshot.History)
        {
            history.Add(new AqiHistoryPointView(DateTimeOffset.FromUnixTimeMilliseconds(p.HourMs), p.VnAqi));
        }

        // Honest freshness: the index is "now" only while the reading behind it is (3× the reporting interval).
        string freshness = Freshness.Of(snapshot.UpdatedMs, sensor.ReportingIntervalSeconds, nowMs);
        bool current = freshness == Freshness.Current;
        return new AirQualityView(
            sensor.Id,
            sensor.Name,
            sensor.Province,
            sensor.Area,
            sensor.Lat,
            sensor.Lon,
            current ? snapshot.VnAqi : null,
            current ? snapshot.UsAqi : null,
            snapshot.Dominant,
            current && snapshot.VnAqi is { } aqi ? AqiBands.For(aqi) : null,
            pollutants,
            snapshot.UpdatedMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(snapshot.UpdatedMs) : null,
            history,
            snapshot.VnAqi,
            snapshot.UsAqi,
            freshness);
    }
}
