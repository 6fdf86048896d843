using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Broker;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.TestKit;

namespace Resilience.Benchmarks.Mqtt;

/// <summary>
/// <c>broker-load [--connections 1000] [--seconds 10]</c>: N raw TCP publishers send pre-encoded 100-byte QoS 0
/// PUBLISH packets as fast as the broker takes them, first into our broker (in-process consumer counting), then
/// into a real mosquitto (one TCP subscriber counting). Prints msgs/s and messages lost for both. Our broker runs its
/// shipped security: each publisher logs in as a device (user = its sensor id, a <c>$7$</c> password) and the ACL checks
/// every PUBLISH against the device's own topics; only the per-address limits are lifted (all publishers are on loopback).
/// </summary>
public sealed class MqttBrokerLoadCommand : ILoadCommand
{
    private const int PacketSize = 100;
    private const int PacketsPerWrite = 64;

    /// <inheritdoc />
    public string Name => "broker-load";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int connections = 1000;
        int seconds = 10;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--connections":
                    connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        Console.WriteLine($"broker-load: {connections} publishing connections, {seconds} s, {PacketSize}-byte QoS 0 PUBLISH");
        LoadResult ours = await RunOursAsync(connections, TimeSpan.FromSeconds(seconds));
        Print("resilience (in-process consumer)", ours);
        LoadResult theirs = await RunMosquittoAsync(connections, TimeSpan.FromSeconds(seconds));
        Print("mosquitto (one TCP subscriber)", theirs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"broker-load: ratio resilience/mosquitto = {ours.Rate / Math.Max(1, theirs.Rate):F2}"));
        return 0;
    }

    private static void Print(string name, LoadResult r)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"broker-load: {name}: sent={r.Sent} received={r.Received} lost={r.Sent - r.Received} elapsed={r.Elapsed.TotalSeconds:F2}s msgs_per_s={r.Rate:F0}"));

    private static async Task<LoadResult> RunOursAsync(int connections, TimeSpan duration)
    {
        var options = new MqttBrokerOptions
        {
            Port = 0,
            MaxConnections = connections + 100,
            MaxQueuedMessages = 100_000,
            MaxConnectionsPerAddress = 0,
            ConnectRatePerAddress = 0,
        };
        for (int i = 0; i < connections; i++)
        {
            string id = DeviceId(i);
            options.Users.Add(new MqttBrokerUserOptions { UserName = id, Password = MqttPasswordVerifier.HashPbkdf2(DevicePassword) });
        }

        await using var broker = new MqttBroker(Options.Create(options), NullLogger<MqttBroker>.Instance, TimeProvider.System, null, new LoadDeviceDirectory());
        await broker.StartAsync(CancellationToken.None);
        var counter = new CountingHandler();
        using IDisposable subscription = broker.SubscribeInProcess("sensors/#", counter);
        return await DriveAsync(broker.LocalEndPoint!.Port, connections, duration, () => counter.Count, authenticate: true);
    }

    private static async Task<LoadResult> RunMosquittoAsync(int connections, TimeSpan duration)
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync(["max_queued_messages 1000000"]);
        using var subscriber = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4 << 20 };
        await subscriber.ConnectAsync(IPAddress.Loopback, mosquitto.Port);
        await subscriber.SendAsync(MqttLoadPackets.Connect("load-subscriber"));
        await subscriber.SendAsync(MqttLoadPackets.Subscribe("sensors/#"));
        var counter = new CountingHandler();
        using var stop = new CancellationTokenSource();
        var subscribed = new TaskCompletionSource();
        Task reading = CountPublishesAsync(new NetworkStream(subscriber), counter, subscribed, stop.Token);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        LoadResult result = await DriveAsync(mosquitto.Port, connections, duration, () => counter.Count);
        await stop.CancelAsync();
        subscriber.Dispose();
        await reading;
        return result;
    }

    private static async Task CountPublishesAsync(Stream stream, CountingHandler counter, TaskCompletionSource subscribed, CancellationToken ct)
    {
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536));
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(ct);
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (MqttFrameReader.TryRead(ref buffer, out MqttFrame frame))
                {
                    if (frame.Type == MqttPacketType.Publish)
                    {
                        counter.Increment();
                    }
                    else if (frame.Type == MqttPacketType.SubAck)
                    {
                        subscribed.TrySetResult();
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private const string DevicePassword = "load-password";

    private static string DeviceId(int i) => "load-" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static async Task<LoadResult> DriveAsync(int port, int connections, TimeSpan duration, Func<long> received, bool authenticate = false)
    {
        var sockets = new Socket[connections];
        var batches = new byte[connections][];
        byte[] connAck = new byte[4];
        for (int i = 0; i < connections; i++)
        {
            string id = DeviceId(i);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(authenticate ? MqttLoadPackets.Connect(id, id, DevicePassword) : MqttLoadPackets.Connect(id));
            int got = 0;
            while (got < 4)
            {
                got += await socket.ReceiveAsync(connAck.AsMemory(got));
            }

            if (connAck[0] != 0x20 || connAck[3] != 0)
            {
                throw new InvalidOperationException($"CONNACK refused for {id}.");
            }

            byte[] packet = MqttLoadPackets.Publish($"sensors/danang/{id}/telemetry", MqttProtocolVersion.V311, PacketSize);
            byte[] batch = new byte[packet.Length * PacketsPerWrite];
            for (int k = 0; k < PacketsPerWrite; k++)
            {
                packet.CopyTo(batch, k * packet.Length);
            }

            sockets[i] = socket;
            batches[i] = batch;
        }

        long before = received();
        long sent = 0;
        var clock = Stopwatch.StartNew();
        var writers = new Task[connections];
        for (int i = 0; i < connections; i++)
        {
            Socket socket = sockets[i];
            byte[] batch = batches[i];
            writers[i] = Task.Run(async () =>
            {
                long local = 0;
                while (clock.Elapsed < duration)
                {
                    // Never cancel a send half-way: every counted packet is on the wire whole.
                    await socket.SendAsync(batch);
                    local += PacketsPerWrite;
                }

                Interlocked.Add(ref sent, local);
            });
        }

        await Task.WhenAll(writers);

        // Drain: wait until everything sent arrived, or nothing arrived for 5 s.
        long last = received() - before;
        TimeSpan lastProgress = clock.Elapsed;
        while (last < sent && clock.Elapsed - lastProgress < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
            long now = received() - before;
            if (now != last)
            {
                last = now;
                lastProgress = clock.Elapsed;
            }
        }

        TimeSpan elapsed = last >= sent ? clock.Elapsed : lastProgress;
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }

        return new LoadResult(sent, last, elapsed);
    }

    private readonly record struct LoadResult(long Sent, long Received, TimeSpan Elapsed)
    {
        public double Rate => Received / Math.Max(0.001, Elapsed.TotalSeconds);
    }

    private sealed class CountingHandler : IMqttMessageHandler
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);

        public ValueTask HandleAsync(MqttInboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Every load device lives in Da Nang (as the silo's registry would say).</summary>
internal sealed class LoadDeviceDirectory : IMqttDeviceDirectory
{
    public bool TryGetProvince(string deviceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? province)
    {
        province = "danang";
        return true;
    }
}
