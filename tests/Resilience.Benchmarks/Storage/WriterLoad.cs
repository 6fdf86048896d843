using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.Benchmarks.Storage;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- writer-load [points]</c>: points/s end to end
/// into a real influxd through <see cref="InfluxPointWriter"/>, against the same lines posted by curl in
/// 5,000-line files (two curl processes, as the writer keeps two requests in flight), and the spooling rate
/// while InfluxDB is down with fsync per batch. Three alternating rounds; medians are printed.
/// </summary>
internal static class WriterLoad
{
    private const long BaseNs = 1_795_305_600_000_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500_000;
        PointData[] points = MakePoints(count);
        await using InfluxdProcess influx = await InfluxdProcess.StartAsync();
        using var work = new TempDirectory("writer-load");
        string[] files = WriteFiles(points, work.Path);
        var curl = new List<double>();
        var writerGzip = new List<double>();
        var writerPlain = new List<double>();
        var spool = new List<double>();
        for (int round = 1; round <= 3; round++)
        {
            curl.Add(await CurlAsync(influx, files, count, $"curl_{round}"));
            writerGzip.Add(await WriterAsync(influx, points, work.Path, $"gzip_{round}", gzip: true));
            writerPlain.Add(await WriterAsync(influx, points, work.Path, $"plain_{round}", gzip: false));
            spool.Add(await SpoolAsync(points, work.Path, round));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: curl={curl[^1]:F0}/s writer(gzip)={writerGzip[^1]:F0}/s writer(plain)={writerPlain[^1]:F0}/s spool(fsync/batch)={spool[^1]:F0}/s"));
        }

        double c = Median(curl);
        double g = Median(writerGzip);
        double p = Median(writerPlain);
        double s = Median(spool);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"writer-load: points={count} curl_points_per_s={c:F0} writer_gzip_points_per_s={g:F0} ({g / c:P0} of curl) writer_plain_points_per_s={p:F0} ({p / c:P0} of curl) spool_fsync_points_per_s={s:F0}"));
        return 0;
    }

    private static PointData[] MakePoints(int count)
    {
        var tagSets = new KeyValuePair<string, string>[1000][];
        for (int i = 0; i < tagSets.Length; i++)
        {
            tagSets[i] =
            [
                new("province", "danang"),
                new("sensor", "dn-wl-" + i.ToString(CultureInfo.InvariantCulture)),
                new("zone", "zone-" + (i % 40).ToString(CultureInfo.InvariantCulture)),
            ];
        }

        var points = new PointData[count];
        for (int i = 0; i < count; i++)
        {
            points[i] = new PointData("water", tagSets[i % tagSets.Length], new[] { FieldValue.Float("level", 1 + (i % 977) * 0.01) }, BaseNs + i * 1_000_000L);
        }

        return points;
    }

    private static string[] WriteFiles(PointData[] points, string directory)
    {
        var files = new List<string>();
        byte[] buffer = new byte[4 * 1024 * 1024];
        for (int start = 0; start < points.Length; start += 5000)
        {
            int length = 0;
            for (int i = start; i < Math.Min(points.Length, start + 5000); i++)
            {
                length += LineProtocolEncoder.Encode(in points[i], buffer.AsSpan(length), WritePrecision.Nanoseconds, true);
            }

            string file = Path.Combine(directory, $"lines-{start:D9}.lp");
            File.WriteAllBytes(file, buffer.AsSpan(0, length).ToArray());
            files.Add(file);
        }

        return files.ToArray();
    }

    private static async Task<double> CurlAsync(InfluxdProcess influx, string[] files, int count, string database)
    {
        (await influx.QueryAsync($"CREATE DATABASE \"{database}\"", method: HttpMethod.Post)).Dispose();
        string url = influx.Url + "write?db=" + database;
        var configs = new string[2];
        for (int k = 0; k < 2; k++)
        {
            var config = new StringBuilder();
            for (int i = k; i < files.Length; i += 2)
            {
                config.Append(CultureInfo.InvariantCulture, $"url = \"{url}\"\ndata-binary = \"@{files[i]}\"\noutput = \"/dev/null\"\n");
                if (i + 2 < files.Length)
                {
                    config.Append("next\n");
                }
            }

            configs[k] = Path.Combine(Path.GetDirectoryName(files[0])!, $"curl-{database}-{k}.conf");
            await File.WriteAllTextAsync(configs[k], config.ToString());
        }

        var clock = Stopwatch.StartNew();
        using Process a = Process.Start("curl", ["-sS", "--fail", "-K", configs[0]]);
        using Process b = Process.Start("curl", ["-sS", "--fail", "-K", configs[1]]);
        await a.WaitForExitAsync();
        await b.WaitForExitAsync();
        double seconds = clock.Elapsed.TotalSeconds;
        long stored = await influx.CountAsync("water", "level", database);
        if (a.ExitCode != 0 || b.ExitCode != 0 || stored != count)
        {
            throw new InvalidOperationException($"curl run failed: exit {a.ExitCode}/{b.ExitCode}, stored {stored} of {count}");
        }

        return count / seconds;
    }

    private static async Task<double> WriterAsync(InfluxdProcess influx, PointData[] points, string work, string database, bool gzip)
    {
        (await influx.QueryAsync($"CREATE DATABASE \"{database}\"", method: HttpMethod.Post)).Dispose();
        var options = new InfluxOptions
        {
            Url = influx.Url.ToString(),
            Database = database,
            DataDirectory = Path.Combine(work, database),
            Gzip = gzip,
        };
        var writer = new InfluxPointWriter(options, TimeProvider.System, NullLogger.Instance);
        writer.Start();
        var clock = Stopwatch.StartNew();
        await using (writer)
        {
            for (int i = 0; i < points.Length; i++)
            {
                while (!writer.TryWrite(in points[i]))
                {
                    await writer.WaitToWriteAsync(CancellationToken.None);
                }
            }

            await writer.FlushAsync(CancellationToken.None);

            // Batches that met a busy InfluxDB went through the spool: the run ends when that is replayed too.
            while (writer.GetSnapshot().SpooledBytes > 0)
            {
                await Task.Delay(5);
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long stored = await influx.CountAsync("water", "level", database);
        if (stored != points.Length)
        {
            throw new InvalidOperationException($"writer run stored {stored} of {points.Length}");
        }

        return points.Length / seconds;
    }

    private static async Task<double> SpoolAsync(PointData[] points, string work, int round)
    {
        var options = new InfluxOptions
        {
            Url = "http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture), // nothing listens: InfluxDB is down
            DataDirectory = Path.Combine(work, "spool-" + round.ToString(CultureInfo.InvariantCulture)),
            Spool = new SpoolOptions { Durability = SpoolDurability.FsyncPerBatch },
        };
        var writer = new InfluxPointWriter(options, TimeProvider.System, NullLogger.Instance);
        writer.Start();
        var clock = Stopwatch.StartNew();
        await using (writer)
        {
            for (int i = 0; i < points.Length; i++)
            {
                while (!writer.TryWrite(in points[i]))
                {
                    await writer.WaitToWriteAsync(CancellationToken.None);
                }
            }

            await writer.FlushAsync(CancellationToken.None);
            double seconds = clock.Elapsed.TotalSeconds;
            if (writer.GetSnapshot().SpooledBytes == 0)
            {
                throw new InvalidOperationException("nothing was spooled");
            }

            return points.Length / seconds;
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
