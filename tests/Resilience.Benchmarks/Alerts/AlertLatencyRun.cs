using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Api;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;
using Resilience.TestKit;

namespace Resilience.Benchmarks.Alerts;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- alert-latency [count]</c>: the time from
/// <see cref="IAlertService.ApplyAsync"/> (commit + outbox) to the webhook request arriving at a real Kestrel
/// receiver on loopback, one transition every 10 ms after 20 unmeasured warm-up ones; prints p50/p99/max in milliseconds.
/// </summary>
internal static class AlertLatencyRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        using var data = new TempDirectory("alert-latency");
        var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        int receiverPort = FreePort.Next();
        WebApplication receiver = BuildReceiver(receiverPort, received);
        await receiver.StartAsync();
        WebApplication host = BuildHost(data.Path, $"http://127.0.0.1:{receiverPort}/hook");
        await host.StartAsync();
        try
        {
            IAlertService alerts = host.Services.GetRequiredService<IAlertService>();
            AlertRule rule = host.Services.GetRequiredService<AlertRuleCatalog>()
                .For(new SensorRuleContext("bench-webhook-secret", DefaultRules.WaterLevel, null, new AlarmLevels(1, 2, 3))).First(r => r.Id == "water-level");
            var sent = new Dictionary<string, long>(count, StringComparer.Ordinal);
            TimeProvider time = TimeProvider.System;
            const int WarmUp = 20; // JIT, first connections: not measured
            for (int i = -WarmUp; i < count; i++)
            {
                var subject = new AlertSubject { Id = i < 0 ? $"warm-{-i}" : $"bench-{i % 50}", Province = "danang", Lat = 16, Lon = 108 };
                bool raise = i < 0 || (i / 50) % 2 == 0;
                DateTimeOffset now = time.GetUtcNow();
                var transition = raise
                    ? new RuleTransition(rule, TransitionKind.Raise, AlertSeverity.Warning, AlertSeverity.None, rule.ThresholdFor(AlertSeverity.Warning), 2.1, now, now)
                    : new RuleTransition(rule, TransitionKind.Clear, AlertSeverity.None, AlertSeverity.Warning, null, 0.5, now, now);
                long start = Stopwatch.GetTimestamp();
                AlertRecord? alert = await alerts.ApplyAsync(subject, transition);
                if (alert is not null && i >= 0)
                {
                    sent[$"alert-{alert.Id}-v{alert.Version}"] = start;
                }

                await Task.Delay(10);
            }

            var deadline = Stopwatch.StartNew();
            while (received.Count < sent.Count && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            var latencies = new List<double>(sent.Count);
            int lost = 0;
            foreach (KeyValuePair<string, long> pair in sent)
            {
                if (received.TryGetValue(pair.Key, out long at))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(pair.Value, at).TotalMilliseconds);
                }
                else
                {
                    lost++;
                }
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"alert-latency: n={latencies.Count} lost={lost} p50_ms={Percentile(latencies, 0.50):F2} p99_ms={Percentile(latencies, 0.99):F2} max_ms={(latencies.Count > 0 ? latencies[^1] : 0):F2}"));
            return lost == 0 ? 0 : 1;
        }
        finally
        {
            await host.StopAsync();
            await host.DisposeAsync();
            await receiver.StopAsync();
            await receiver.DisposeAsync();
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static WebApplication BuildReceiver(int port, ConcurrentDictionary<string, long> received)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        WebApplication app = builder.Build();
        app.MapPost("/hook", (HttpContext context) =>
        {
            received.TryAdd(context.Request.Headers["Idempotency-Key"].ToString(), Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        return app;
    }

    private static WebApplication BuildHost(string dataDirectory, string webhook)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:DataDirectory"] = dataDirectory,
            ["Resilience:Alerts:Webhooks:0:Url"] = webhook,
            ["Resilience:Alerts:Webhooks:0:Secret"] = "bench-webhook-secret",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.AddAlerts();
        return builder.Build();
    }
}
