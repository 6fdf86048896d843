using System.Globalization;
using System.Text.Json;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>InfluxQL queries the end-to-end assertions need, answered by the real influxd.</summary>
internal static class InfluxSeries
{
    /// <summary>Points of <paramref name="measurement"/> (counted by <paramref name="field"/>) per <c>sensor</c> tag.</summary>
    public static async Task<Dictionary<string, long>> CountBySensorAsync(InfluxdProcess influx, string database, string measurement, string field)
    {
        using JsonDocument doc = await influx.QueryAsync(
            $"SELECT count(\"{field}\") FROM \"{measurement}\" GROUP BY \"sensor\"", database);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        JsonElement result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("series", out JsonElement series))
        {
            foreach (JsonElement s in series.EnumerateArray())
            {
                string sensor = s.GetProperty("tags").GetProperty("sensor").GetString()!;
                counts[sensor] = s.GetProperty("values")[0][1].GetInt64();
            }
        }

        return counts;
    }

    /// <summary>The <c>level</c> values of a zone's <c>zone_status</c> series, in time order.</summary>
    public static async Task<List<int>> ZoneLevelsAsync(InfluxdProcess influx, string database, string zone)
    {
        using JsonDocument doc = await influx.QueryAsync(
            string.Create(CultureInfo.InvariantCulture, $"SELECT \"level\" FROM \"zone_status\" WHERE \"zone\" = '{zone}'"), database);
        var levels = new List<int>();
        JsonElement result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("series", out JsonElement series))
        {
            foreach (JsonElement row in series[0].GetProperty("values").EnumerateArray())
            {
                levels.Add(row[1].GetInt32());
            }
        }

        return levels;
    }
}
