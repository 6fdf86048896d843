using System.Text.Json;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>One gauge as <c>GET /api/zones/{id}</c> reports it: its latest level, alarm, time and rate of rise (from the zone's window).</summary>
/// <param name="Gauge">The JSON of the gauge entry.</param>
/// <param name="Level">The zone level.</param>
internal sealed record ZoneGaugeSnapshot(string Gauge, int Level)
{
    public static async Task<ZoneGaugeSnapshot> ReadAsync(SiloHttp api, string zone, string gauge, CancellationToken cancellationToken)
    {
        using JsonDocument doc = await api.GetJsonAsync("/api/zones/" + zone, cancellationToken);
        JsonElement entry = doc.RootElement.GetProperty("gauges").EnumerateArray()
            .Single(g => g.GetProperty("id").GetString() == gauge);
        return new ZoneGaugeSnapshot(entry.GetRawText(), doc.RootElement.GetProperty("level").GetInt32());
    }
}
