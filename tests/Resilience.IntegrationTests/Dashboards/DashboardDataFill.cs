using System.Globalization;
using System.Text;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>
/// Fills influxd with 24 hours of realistic points covering every measurement of DESIGN.md's "InfluxDB schema".
/// This is the one place to switch to the sensor simulator (through the silo's writer) once it lands.
/// </summary>
internal static class DashboardDataFill
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    /// <summary>Writes the data set ending at <paramref name="end"/> into database <c>resilience</c>.</summary>
    public static async Task FillAsync(InfluxdProcess influx, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(influx);
        string lines = Generate(end);
        using var http = new HttpClient { BaseAddress = influx.Url, Timeout = TimeSpan.FromSeconds(60) };
        using var body = new StringContent(lines, Encoding.UTF8);
        using HttpResponseMessage response = await http.PostAsync(new Uri("/write?db=resilience&precision=s", UriKind.Relative), body);
        string answer = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(204, answer);
    }

    internal static string Generate(DateTimeOffset end)
    {
        var sb = new StringBuilder(1 << 20);
        var random = new Random(20261122);
        (string Province, string Zone, string Sensor, double Base, double Peak)[] gauges =
        [
            ("danang", "danang-camle", "dn-camle-wl", 0.6, 2.3),
            ("danang", "danang-camle", "dn-camle-wl2", 0.5, 2.0),
            ("danang", "danang-hoavang", "dn-hoavang-wl", 0.4, 1.1),
            ("hanoi", "hanoi-longbien", "hn-longbien-wl", 2.0, 3.1),
        ];
        (string Province, string Area, string Sensor, double Pm25)[] stations =
        [
            ("hanoi", "Hoàn Kiếm", "hn-hoankiem-aq", 85),
            ("hanoi", "Cầu Giấy", "hn-caugiay-aq", 45),
            ("danang", "Hải Châu", "dn-haichau-aq", 18),
        ];
        long endS = end.ToUnixTimeSeconds() / 300 * 300;
        int steps = (int)(TimeSpan.FromHours(24) / s_step);
        long received = 0;
        long written = 0;
        long dead = 0;
        for (int i = steps; i >= 0; i--)
        {
            long t = endS - (i * (long)s_step.TotalSeconds);
            double phase = (double)(steps - i) / steps; // 0 → 1 over the day: a flood wave peaking near the end
            var zoneMax = new Dictionary<string, (string Province, double Max, int Level)>(StringComparer.Ordinal);
            foreach ((string province, string zone, string sensor, double baseLevel, double peak) in gauges)
            {
                double level = baseLevel + ((peak - baseLevel) * Math.Pow(Math.Sin(phase * Math.PI * 0.9), 2)) + (random.NextDouble() * 0.02);
                Line(sb, "water", $"province={province},sensor={sensor},zone={zone}", $"level={F(level)}", t);
                Line(sb, "rain", $"province={province},sensor={sensor}-rg,zone={zone}", $"amount={F(Math.Max(0, (Math.Sin(phase * 9) * 4) + (random.NextDouble() * 2)))}", t);
                Line(sb, "device", $"province={province},sensor={sensor}", $"battery={F(3.95 - (phase * 0.4) - (sensor.Length % 3 * 0.1))}", t);
                int alarm = level >= 2.5 ? 3 : level >= 2.0 ? 2 : level >= 1.0 ? 1 : 0;
                if (!zoneMax.TryGetValue(zone, out var current) || level > current.Max)
                {
                    zoneMax[zone] = (province, level, Math.Max(alarm, current.Level));
                }
            }

            foreach ((string zone, (string province, double max, int level)) in zoneMax)
            {
                Line(sb, "zone_status", $"province={province},zone={zone}", $"level={level.ToString(CultureInfo.InvariantCulture)}i,max_level_m={F(max)}", t);
            }

            foreach ((string province, string area, string sensor, double pm25Base) in stations)
            {
                double pm25 = pm25Base * (0.7 + (0.6 * Math.Abs(Math.Sin((phase * 6) + sensor.Length)))) + random.NextDouble();
                double pm10 = pm25 * 1.6;
                string areaTag = Escape(area);
                Line(sb, "air", $"area={areaTag},province={province},sensor={sensor}",
                    $"co={F(900 + (pm25 * 10))},no2={F(30 + (pm25 / 3))},o3={F(60 + (40 * Math.Sin(phase * Math.PI)))},pm10={F(pm10)},pm25={F(pm25)},so2={F(12 + (pm25 / 10))}", t);
                int vn = (int)Math.Round(pm25 <= 25 ? pm25 * 2 : pm25 <= 50 ? 50 + ((pm25 - 25) * 2) : pm25 <= 80 ? 100 + ((pm25 - 50) * 50 / 30) : 150 + ((pm25 - 80) * 50 / 70));
                Line(sb, "aqi", $"area={areaTag},province={province},sensor={sensor}",
                    $"dominant=\"pm25\",us_aqi={(vn + 15).ToString(CultureInfo.InvariantCulture)}i,vn_aqi={vn.ToString(CultureInfo.InvariantCulture)}i", t);
                Line(sb, "weather", $"area={areaTag},province={province},sensor={sensor}-wx",
                    $"humidity={F(70 + (20 * Math.Sin(phase * 6)))},temperature={F(24 + (6 * Math.Sin(phase * Math.PI)))}", t);
            }

            received += 60 + random.Next(20);
            written += 58 + random.Next(20);
            dead += random.Next(10) == 0 ? 1 : 0;
            Line(sb, "pipeline", "node=silo-1",
                $"dead_letters={dead.ToString(CultureInfo.InvariantCulture)}i,received={received.ToString(CultureInfo.InvariantCulture)}i,spooled_bytes={(i is > 100 and < 110 ? 4096 * (110 - i) : 0).ToString(CultureInfo.InvariantCulture)}i,written={written.ToString(CultureInfo.InvariantCulture)}i", t);
        }

        // Alert lifecycles: raised → escalated → acknowledged → resolved for one zone; one air-quality alert still active.
        long a0 = endS - (6 * 3600);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-camle", "state=\"raised\",value=1.02", a0);
        Line(sb, "alert", "province=danang,rule=zone-alarm-II,severity=severe,subject=danang-camle", "state=\"escalated\",value=2.01", a0 + 3600);
        Line(sb, "alert", "province=danang,rule=zone-alarm-II,severity=severe,subject=danang-camle", "state=\"acknowledged\",value=2.05", a0 + 4000);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-hoavang", "state=\"raised\",value=1.01", a0 + 5000);
        Line(sb, "alert", "province=danang,rule=zone-alarm-I,severity=minor,subject=danang-hoavang", "state=\"resolved\",value=0.95", a0 + 9000);
        Line(sb, "alert", "province=hanoi,rule=aqi-bad,severity=warning,subject=hn-hoankiem-aq", "state=\"raised\",value=168", a0 + 2000);
        Line(sb, "alert", "province=hanoi,rule=zone-alarm-I,severity=minor,subject=hanoi-longbien", "state=\"raised\",value=1.1", a0 + 2500);
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string measurement, string tags, string fields, long unixSeconds)
    {
        sb.Append(measurement).Append(',').Append(tags).Append(' ').Append(fields).Append(' ')
            .Append(unixSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string tag) => tag.Replace(" ", "\\ ", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
}
