using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Api;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Silo.Alerting;
using Resilience.TestKit;

namespace Resilience.Benchmarks.Alerts;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- grain-alerting [readings]</c>: what a
/// gauge's grain pays per reading for its rules (<see cref="SubjectRules.EvaluateAsync"/>, water level + rate of
/// rise + offline + suspect): ns and bytes allocated per reading without a transition, and the time of a reading
/// whose transition is applied (SQLite commit of alert + audit + outbox), p50/p99 in ms.
/// </summary>
public sealed class GrainAlertingCommand : ILoadCommand
{
    public string Name => "grain-alerting";

    public async Task<int> RunAsync(string[] args)
    {
        int readings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        using var data = new TempDirectory("grain-alerting");
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Resilience:DataDirectory"] = data.Path });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.AddAlerts();
        builder.Services.AddSingleton<GrainAlerting>();
        await using WebApplication host = builder.Build();
        await host.StartAsync();
        try
        {
            GrainAlerting alerting = host.Services.GetRequiredService<GrainAlerting>();
            var subject = new AlertSubject { Id = "bench-wl", Province = "danang", Lat = 16, Lon = 108 };
            SubjectRules rules = await alerting.LoadAsync(subject, new("bench-wl", "water_level", "z", new(1.0, 2.0, 2.5)), static _ => true, CancellationToken.None);
            DateTimeOffset t = DateTimeOffset.UtcNow.AddDays(-30);

            // Steady state: level below alarm I, no transition.
            for (int i = 0; i < 10_000; i++)
            {
                await rules.EvaluateAsync("water_level", new Reading(t = t.AddSeconds(60), 0.5));
            }

            var batches = new List<double>();
            long allocated = 0;
            for (int b = 0; b < 20; b++)
            {
                int n = readings / 20;
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    await rules.EvaluateAsync("water_level", new Reading(t = t.AddSeconds(60), 0.5 + ((i & 1) * 0.01)));
                }

                batches.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / n);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            batches.Sort();

            // Transitions: two readings at 2.1 raise, three at 0.5 clear; time every reading that applies one.
            var applied = new List<double>();
            for (int cycle = 0; cycle < 100; cycle++)
            {
                for (int k = 0; k < 5; k++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await rules.EvaluateAsync("water_level", new Reading(t = t.AddSeconds(60), k < 2 ? 2.1 : 0.5));
                    if (k is 1 or 4)
                    {
                        applied.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); // the raise and the clear
                    }
                }
            }

            applied.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"grain-alerting: evaluate median_ns={batches[batches.Count / 2]:F0} bytes_per_reading={(double)allocated / readings:F2} | with transition n={applied.Count} p50_ms={Pct(applied, 0.5):F2} p99_ms={Pct(applied, 0.99):F2}"));
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
