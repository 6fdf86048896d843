using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience.Ingest.Storage;

namespace Resilience.WriterChild;

/// <summary>
/// <c>dotnet Resilience.WriterChild.dll write|drain [--Resilience:Influx:Url=…] [--Child:Count=n] [--Child:FlushEvery=n]</c>.
/// <c>write</c> writes points <c>crash v=i</c> (one per millisecond from <see cref="BaseMs"/>) and prints
/// <c>durable n</c> after each FlushAsync; <c>drain</c> writes nothing, waits until the spool is empty and prints <c>drained</c>.
/// </summary>
internal static class Program
{
    /// <summary>Timestamp of point 0, Unix milliseconds (2026-11-22T00:00:00Z).</summary>
    public const long BaseMs = 1_795_305_600_000;

    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "write";
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args.Skip(1).ToArray());
        builder.AddInfluxWriter();
        using IHost host = builder.Build();
        await host.StartAsync();
        IPointWriter writer = host.Services.GetRequiredService<IPointWriter>();
        IInfluxWriterMetrics metrics = host.Services.GetRequiredService<IInfluxWriterMetrics>();
        if (mode == "drain")
        {
            for (int i = 0; i < 1200 && metrics.GetSnapshot().SpooledBytes > 0; i++)
            {
                await Task.Delay(100);
            }

            InfluxWriterSnapshot s = metrics.GetSnapshot();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drained spooled={s.SpooledBytes} written={s.Written}"));
            await host.StopAsync();
            return s.SpooledBytes == 0 ? 0 : 1;
        }

        long count = builder.Configuration.GetValue("Child:Count", 1_000_000L);
        int flushEvery = builder.Configuration.GetValue("Child:FlushEvery", 1000);
        var tags = new KeyValuePair<string, string>[] { new("run", "child") };
        var fields = new FieldValue[1];
        for (long i = 0; i < count; i++)
        {
            fields[0] = FieldValue.Integer("v", i);
            var point = new PointData("crash", tags, fields, (BaseMs + i) * 1_000_000);
            while (!writer.TryWrite(in point))
            {
                await writer.WaitToWriteAsync(CancellationToken.None);
            }

            if ((i + 1) % flushEvery == 0)
            {
                await writer.FlushAsync(CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"durable {i + 1}"));
            }
        }

        await writer.FlushAsync(CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"durable {count}"));
        await host.StopAsync();
        return 0;
    }
}
