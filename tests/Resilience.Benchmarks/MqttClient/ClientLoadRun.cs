using System.Diagnostics;
using System.Globalization;
using System.Text;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Client;
using Resilience.TestKit;

namespace Resilience.Benchmarks.MqttClient;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- client-load [messages] [runs]</c>: publish
/// throughput of our client into a real mosquitto at QoS 0 and QoS 1, with one subscriber of ours draining and
/// counting what arrives. Prints the median of the runs.
/// </summary>
internal static class ClientLoadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        await using MosquittoProcess broker = await MosquittoProcess.StartAsync();
        byte[] payload = Encoding.UTF8.GetBytes("{\"ts\":\"2026-11-22T03:15:00Z\",\"seq\":1234,\"values\":{\"water_level\":2.31}}");
        Console.WriteLine($"client-load: {messages} messages of {payload.Length} B per run, {runs} runs, mosquitto on port {broker.Port}, {Environment.ProcessorCount} cores");
        foreach (MqttQualityOfService qos in new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce })
        {
            var publishRates = new List<double>();
            var deliveredRates = new List<double>();
            long delivered = 0;
            for (int run = 0; run < runs; run++)
            {
                (double publishRate, double deliveredRate, long count) = await OnceAsync(broker.Port, payload, messages, qos, run);
                publishRates.Add(publishRate);
                deliveredRates.Add(deliveredRate);
                delivered = count;
            }

            publishRates.Sort();
            deliveredRates.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"client-load: qos={(int)qos} publish_msgs_per_s={publishRates[runs / 2]:F0} end_to_end_msgs_per_s={deliveredRates[runs / 2]:F0} delivered_last_run={delivered}/{messages}"));
        }

        return 0;
    }

    private static async Task<(double PublishRate, double DeliveredRate, long Delivered)> OnceAsync(int port, byte[] payload, int messages, MqttQualityOfService qos, int run)
    {
        var counter = new CountingHandler();
        await using var subscriber = new Ingest.Mqtt.Client.MqttClient(Options(port, $"load-sub-{run}"), counter);
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("load/#", qos);
        await using var publisher = new Ingest.Mqtt.Client.MqttClient(Options(port, $"load-pub-{run}"));
        await publisher.ConnectAsync();

        var clock = Stopwatch.StartNew();
        if (qos == MqttQualityOfService.AtMostOnce)
        {
            for (int i = 0; i < messages; i++)
            {
                await publisher.PublishAsync("load/danang/s1/telemetry", payload, qos);
            }
        }
        else
        {
            // Enough concurrent publishers to keep the in-flight window full.
            const int Workers = 64;
            var tasks = new Task[Workers];
            for (int w = 0; w < Workers; w++)
            {
                int share = (messages / Workers) + (w < messages % Workers ? 1 : 0);
                tasks[w] = PublishManyAsync(publisher, payload, qos, share);
            }

            await Task.WhenAll(tasks);
        }

        double published = clock.Elapsed.TotalSeconds;
        var deadline = Stopwatch.StartNew();
        long last = -1;
        while (counter.Count < messages && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (counter.Count != last)
            {
                last = counter.Count;
                deadline.Restart();
            }

            await Task.Delay(5);
        }

        double total = clock.Elapsed.TotalSeconds;
        return (messages / published, counter.Count / total, counter.Count);
    }

    private static async Task PublishManyAsync(Ingest.Mqtt.Client.MqttClient publisher, byte[] payload, MqttQualityOfService qos, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await publisher.PublishAsync("load/danang/s1/telemetry", payload, qos);
        }
    }

    private static MqttClientOptions Options(int port, string clientId) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = clientId,
        ReceiveChannelCapacity = 0,
        MaxInFlight = 64,
        ReceiveMaximum = 1024,
    };

    private sealed class CountingHandler : IMqttMessageHandler
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}
