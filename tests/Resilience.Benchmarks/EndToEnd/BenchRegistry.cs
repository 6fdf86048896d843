using System.Globalization;
using System.Text;

namespace Resilience.Benchmarks.EndToEnd;

/// <summary>Writes a registry for the end-to-end bench: N load gauges (alarm levels far above their readings,
/// so the throughput run is alert-free) and one gauge whose crossings drive the alert-latency samples.</summary>
internal static class BenchRegistry
{
    public const string Province = "hanoi";
    public const string LoadPrefix = "load";
    public const string AlertGauge = "bench-gauge";
    public const int GaugesPerZone = 10;

    public static void Write(string path, int sensors)
    {
        var sb = new StringBuilder();
        sb.AppendLine("provinces:");
        sb.AppendLine("  - id: hanoi");
        sb.AppendLine("    name: Hà Nội");
        sb.AppendLine("zones:");
        // Zones of ten gauges, as a river reach has a handful: one zone of thousands would serialise every
        // reading through one zone grain, which no real registry does.
        for (int z = 0; z < (sensors + GaugesPerZone - 1) / GaugesPerZone; z++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  - id: bench-load-zone-{z}\n");
            sb.AppendLine("    province: hanoi");
            sb.Append(CultureInfo.InvariantCulture, $"    name: Bench load zone {z}\n");
            sb.AppendLine("    area: Bench");
            sb.AppendLine("    polygon: [[21.00, 105.80], [21.02, 105.80], [21.02, 105.83], [21.00, 105.80]]");
            sb.AppendLine("    kOfN: 1");
        }

        sb.AppendLine("  - id: bench-alert-zone");
        sb.AppendLine("    province: hanoi");
        sb.AppendLine("    name: Bench alert zone");
        sb.AppendLine("    area: Bench");
        sb.AppendLine("    polygon: [[21.05, 105.85], [21.06, 105.85], [21.06, 105.86], [21.05, 105.85]]");
        sb.AppendLine("    kOfN: 1");
        sb.AppendLine("sensors:");
        AppendGauge(sb, AlertGauge, "bench-alert-zone", 2.0, 3.0, 4.0);
        for (int i = 0; i < sensors; i++)
        {
            AppendGauge(sb, string.Create(CultureInfo.InvariantCulture, $"{LoadPrefix}-{i:D5}"), string.Create(CultureInfo.InvariantCulture, $"bench-load-zone-{i / GaugesPerZone}"), 50, 60, 70);
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static void AppendGauge(StringBuilder sb, string id, string zone, double l1, double l2, double l3)
    {
        sb.Append(CultureInfo.InvariantCulture, $"""
              - id: {id}
                province: hanoi
                kind: water_level
                name: {id}
                area: Bench
                zone: {zone}
                lat: 21.01
                lon: 105.81
                reportingIntervalSeconds: 3600
                alarmLevels: {"{"} I: {l1}, II: {l2}, III: {l3}, source: "bench", verified: false {"}"}

            """);
    }
}
