using System.Text.Json;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>What <c>GET /api/sensors/{id}</c> says about a sensor's grain state: flags, latest values, last hour of history.</summary>
/// <param name="Flags">Quality flags.</param>
/// <param name="Values">Latest value and time per quantity, as JSON text.</param>
/// <param name="History">History points by time, their values as JSON text.</param>
internal sealed record SensorSnapshot(List<string> Flags, Dictionary<string, string> Values, Dictionary<DateTimeOffset, string> History)
{
    public static async Task<SensorSnapshot> ReadAsync(SiloHttp api, string id, CancellationToken cancellationToken)
    {
        using JsonDocument doc = await api.GetJsonAsync("/api/sensors/" + id, cancellationToken);
        JsonElement root = doc.RootElement;
        var flags = root.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in root.GetProperty("values").EnumerateObject())
        {
            values[p.Name] = p.Value.GetRawText();
        }

        var history = new Dictionary<DateTimeOffset, string>();
        foreach (JsonElement point in root.GetProperty("history").EnumerateArray())
        {
            history[point.GetProperty("ts").GetDateTimeOffset()] = point.GetProperty("values").GetRawText();
        }

        return new SensorSnapshot(flags, values, history);
    }
}
