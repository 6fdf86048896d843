using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using Resilience.Ingest.Mqtt;
using Resilience.Ingest.Mqtt.Packets;
using Resilience.IntegrationTests.MqttClient;
using Resilience.TestKit;
using static System.FormattableString;
using MqttProtocolVersion = Resilience.Ingest.Mqtt.Packets.MqttProtocolVersion;

namespace Resilience.IntegrationTests.Mqtt;

/// <summary>
/// Issue 11's socket fuzz: thousands of random, truncated and mutated packets over hundreds of connections while a
/// legitimate device (an MQTTnet client with its own password, on its own socket) keeps publishing at QoS 1 and an
/// operations subscriber (MQTTnet) keeps receiving every reading, in order, none lost. The broker runs its shipped
/// secure defaults. Memory before and after goes to the test output and is held to a bound derived from the limits.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AttackFiguresCollection.Name)]
public sealed class MqttBrokerFuzzTests
{
    private const string Topic = "sensors/danang/" + MqttBrokerSecurityTests.Gauge + "/telemetry";
    private const int Workers = 8;

    /// <summary>The fuzzers' addresses (127.0.1.1 …): a few connections each, so the per-address limits let them reach the parser.</summary>
    private const int FuzzAddresses = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FuzzedConnections_WhileADevicePublishes_SubscriberGetsEveryReadingInOrder_AndMemoryStaysBounded()
    {
        using var dir = new TempDirectory("mqtt-fuzz");
        await using MqttBrokerHost host = await MqttBrokerSecurityTests.StartSecureAsync(dir, new Dictionary<string, string?>
        {
            ["Resilience:Mqtt:Broker:Roles:ops"] = "Operations",
            ["Resilience:Mqtt:Broker:Roles:fuzz-gw"] = "Gateway",
            ["Resilience:Mqtt:Broker:ConnectTimeout"] = "00:00:02",
        }, ("ops", "ops-secret"), ("fuzz-gw", "fuzz-secret"));

        await using MqttNetTestClient subscriber = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(host.Port, "ops-console").WithCredentials("ops", "ops-secret"), Ct);
        await subscriber.SubscribeAsync("sensors/#", 1, Ct);
        await using MqttNetTestClient device = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(host.Port, MqttBrokerSecurityTests.Gauge, MQTTnet.Formatter.MqttProtocolVersion.V311)
                .WithCredentials(MqttBrokerSecurityTests.Gauge, MqttBrokerSecurityTests.GaugePassword), Ct);

        // Warm-up: the stream's code paths are compiled and the broker's pools filled before the baseline.
        await device.PublishAsync(Topic, "warm-up", 1, cancellationToken: Ct);
        (await subscriber.ReadAsync(1)).Single().Payload.Should().Be("warm-up");
        await RunFuzzAsync(host.Port, connections: 20, seed: 1, new FuzzCounts());
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 2, "the warm-up fuzz connections to close");
        MemoryFigure before = AttackFigures.TakeMemory();
        MqttBrokerMetricsSnapshotView beforeBroker = MqttBrokerMetricsSnapshotView.Of(host);

        using var fuzzDone = new CancellationTokenSource();
        Task<int> publishing = Task.Run(() => PublishStreamAsync(device, fuzzDone.Token), Ct);
        Task<int> receiving = Task.Run(() => ReceiveStreamAsync(subscriber), Ct);
        using var sampling = new CancellationTokenSource();
        var peak = new PeakSampler();
        Task sampler = Task.Run(() => peak.RunAsync(host, sampling.Token), Ct);

        var counts = new FuzzCounts();
        var fuzzTime = Stopwatch.StartNew();
        int round = 0;
        do
        {
            // Rounds until the fuzz has overlapped a few seconds of the device's stream.
            await RunFuzzAsync(host.Port, connections: 320, seed: 7 + round, counts);
            round++;
        }
        while (round < 2 || fuzzTime.Elapsed < TimeSpan.FromSeconds(3));

        await ConnectFloodAsync(host.Port, IPAddress.Parse("127.0.2.1"), attempts: 300, counts);
        fuzzTime.Stop();
        await fuzzDone.CancelAsync();

        int published = await publishing;
        int received = await receiving;
        await Poll.UntilAsync(() => host.Broker.GetMetricsSnapshot().Connections == 2, "every fuzz connection to be closed (only the device and the subscriber stay)");
        await sampling.CancelAsync();
        await sampler;
        MemoryFigure after = AttackFigures.TakeMemory();
        MqttBrokerMetricsSnapshotView afterBroker = MqttBrokerMetricsSnapshotView.Of(host);

        // The bound, from the documented limits: once every fuzz connection is closed, what the fuzz may leave behind
        // is session state — at most one offline session per valid fuzz login that a flipped bit made persistent,
        // each holding nothing (nothing is ever routed to "fuzz/#", a Gateway may not subscribe) — and the back-off
        // records of the failed logins (≤ 100,000 small records, here ≤ FuzzAddresses + 1 addresses and a few names).
        // Two sessions' queue limits (2 × MaxQueuedBytes = 8 MiB) covers the subscriber's own queue if it lagged and
        // every record many times over. The working set also holds the GC's segment slack and the sockets' kernel-side
        // buffers that the runtime keeps pooled, so it gets the per-connection packet budget of every connection the
        // fuzz held at once (Workers × MaxPacketSize) plus 64 MiB of slack; a broker that allocated the declared
        // lengths (MQTTnet's server: 6.3 GB for 200 connections) would overshoot it by 256 MiB per packet.
        const long HeapBound = 2 * 4L * 1024 * 1024;
        const long WorkingSetBound = (Workers * 32L * 1024) + (64L * 1024 * 1024);
        ITestOutputHelper? output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(Invariant($"fuzz: {counts.Packets} packets over {counts.Connections} connections in {fuzzTime.Elapsed.TotalSeconds:F1} s ({counts.Describe()})"));
        output?.WriteLine(Invariant($"broker: connections {beforeBroker.Connections} → {afterBroker.Connections} (peak {peak.Connections}); rejected {beforeBroker.Rejected} → {afterBroker.Rejected}; sessions {beforeBroker.Sessions} → {afterBroker.Sessions}; queued bytes {beforeBroker.QueuedBytes} → {afterBroker.QueuedBytes}; peak heap {peak.Heap / 1024} KiB, peak working set {peak.WorkingSet / (1024 * 1024)} MiB"));
        AttackFigures.Report(
            Invariant($"socket fuzz: {counts.Packets:N0} random/truncated/mutated packets over {counts.Connections:N0} connections, a device publishing at QoS 1 throughout"),
            Invariant($"heap growth ≤ 2 × MaxQueuedBytes = {HeapBound / (1024 * 1024)} MiB; working set growth ≤ {WorkingSetBound / (1024 * 1024)} MiB; every reading delivered in order"),
            Invariant($"{published:N0} published, {received:N0} received in order; connections {beforeBroker.Connections} → {afterBroker.Connections} (peak {peak.Connections}); {AttackFigures.Heap(before, after)}; {AttackFigures.WorkingSet(before, after)}"));

        received.Should().Be(published, "the subscriber gets every reading the device published");
        published.Should().BeGreaterThan(100);
        counts.Packets.Should().BeGreaterThanOrEqualTo(5000);
        counts.Connections.Should().BeGreaterThanOrEqualTo(500);
        (afterBroker.Rejected - beforeBroker.Rejected).Should().BeGreaterThan(500, "the fuzz is refused, not absorbed");
        (after.Heap - before.Heap).Should().BeLessThanOrEqualTo(HeapBound);
        (after.WorkingSet - before.WorkingSet).Should().BeLessThanOrEqualTo(WorkingSetBound);
        device.Client.IsConnected.Should().BeTrue("the device's connection survived the fuzz");

        // A device that logs in after the fuzz is served as usual.
        await using MqttNetTestClient late = await MqttNetTestClient.ConnectAsync(
            MqttNetTestClient.Options(host.Port, "late-" + MqttBrokerSecurityTests.Gauge).WithCredentials(MqttBrokerSecurityTests.Gauge, MqttBrokerSecurityTests.GaugePassword), Ct);
        await late.PublishAsync(Topic, "after", 1, cancellationToken: Ct);
        MqttNetTestClient.Received next;
        do
        {
            next = (await subscriber.ReadAsync(1)).Single();
        }
        while (next.Topic != Topic);

        next.Payload.Should().Be("after");
    }

    /// <summary>QoS 1 publishes, each awaited (PUBACK) before the next, then an "end" marker; returns the count.</summary>
    private static async Task<int> PublishStreamAsync(MqttNetTestClient device, CancellationToken stop)
    {
        int i = 0;
        while (!stop.IsCancellationRequested)
        {
            MqttClientPublishResult result = await device.PublishAsync(Topic, i.ToString(CultureInfo.InvariantCulture), 1, cancellationToken: Ct);
            result.ReasonCode.Should().Be(MqttClientPublishReasonCode.Success);
            i++;
            await Task.Delay(2, Ct);
        }

        await device.PublishAsync(Topic, "end", 1, cancellationToken: Ct);
        return i;
    }

    /// <summary>Reads the device's readings (ignoring the fuzzers' own allowed publishes) and checks their order.</summary>
    private static async Task<int> ReceiveStreamAsync(MqttNetTestClient subscriber)
    {
        int expected = 0;
        while (true)
        {
            MqttNetTestClient.Received message = (await subscriber.ReadAsync(1)).Single();
            if (message.Topic != Topic)
            {
                continue;
            }

            if (message.Payload == "end")
            {
                return expected;
            }

            int.Parse(message.Payload, CultureInfo.InvariantCulture).Should().Be(expected, "readings arrive in order, none lost");
            expected++;
        }
    }

    /// <summary>Fuzz connections from <see cref="FuzzAddresses"/> loopback addresses, <see cref="Workers"/> at a time.</summary>
    private static async Task RunFuzzAsync(int port, int connections, int seed, FuzzCounts counts)
    {
        byte[][] seeds = Seeds();
        int next = -1;
        var workers = new Task[Workers];
        for (int w = 0; w < Workers; w++)
        {
            int worker = w;
            workers[w] = Task.Run(
                async () =>
                {
                    var random = new Random(seed * 1000 + worker);
                    int c;
                    while ((c = Interlocked.Increment(ref next)) < connections)
                    {
                        var from = new IPAddress([127, 0, 1, (byte)(1 + (c % FuzzAddresses))]);
                        await FuzzOneAsync(port, from, c, random, seeds, counts);
                    }
                },
                Ct);
        }

        await Task.WhenAll(workers);
    }

    private static async Task FuzzOneAsync(int port, IPAddress from, int c, Random random, byte[][] seeds, FuzzCounts counts)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(from, 0));
        var writer = new ArrayBufferWriter<byte>();
        int packets = 0;

        // How the connection opens: nothing, anonymous, a wrong password (the device's own name too), or a valid login
        // (so that the garbage after it reaches the authenticated parser).
        MqttProtocolVersion version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
        switch (random.Next(4))
        {
            case 1:
                MqttPacketEncoder.WriteConnect(writer, Connect(c, version, null, null));
                packets++;
                break;
            case 2:
                MqttPacketEncoder.WriteConnect(writer, Connect(c, version, random.Next(2) == 0 ? MqttBrokerSecurityTests.Gauge : "fuzz-" + c.ToString(CultureInfo.InvariantCulture), "wrong"));
                packets++;
                break;
            case 3:
                MqttPacketEncoder.WriteConnect(writer, Connect(c, version, "fuzz-gw", "fuzz-secret"));
                packets++;
                break;
        }

        int count = 6 + random.Next(10);
        for (int i = 0; i < count; i++)
        {
            writer.Write(Mutate(random, seeds[random.Next(seeds.Length)], counts));
        }

        packets += count;
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
            counts.Connected();

            // In one write or in pieces, so that partial headers and bodies meet the framing.
            ReadOnlyMemory<byte> bytes = writer.WrittenMemory;
            while (!bytes.IsEmpty)
            {
                int piece = random.Next(3) == 0 ? Math.Min(bytes.Length, 1 + random.Next(16)) : bytes.Length;
                await socket.SendAsync(bytes[..piece], Ct);
                bytes = bytes[piece..];
            }

            if (random.Next(4) == 0)
            {
                // Sometimes read what comes back (CONNACK, acks, DISCONNECT) before closing.
                using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                readTimeout.CancelAfter(30);
                byte[] sink = new byte[4096];
                try
                {
                    while (await socket.ReceiveAsync(sink, readTimeout.Token) > 0)
                    {
                    }
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                }
            }
        }
        catch (SocketException)
        {
            // The broker may close first (or refuse at accept): that is the point.
        }

        counts.Sent(packets);
    }

    /// <summary>A CONNECT flood from one address: far past the per-address rate and connection limits.</summary>
    private static async Task ConnectFloodAsync(int port, IPAddress from, int attempts, FuzzCounts counts)
    {
        var sockets = new List<Socket>(attempts);
        try
        {
            for (int i = 0; i < attempts; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(from, 0));
                var writer = new ArrayBufferWriter<byte>();
                MqttPacketEncoder.WriteConnect(writer, Connect(100_000 + i, MqttProtocolVersion.V311, "flood-" + i.ToString(CultureInfo.InvariantCulture), "x"));
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
                    counts.Connected();
                    await socket.SendAsync(writer.WrittenMemory, Ct);
                }
                catch (SocketException)
                {
                }

                counts.Sent(1, flood: true);
            }
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static MqttConnectPacket Connect(int c, MqttProtocolVersion version, string? user, string? password) => new()
    {
        ClientId = "fuzz-" + c.ToString(CultureInfo.InvariantCulture),
        ProtocolVersion = version,
        KeepAliveSeconds = 30,
        UserName = user,
        Password = password is null ? null : Encoding.UTF8.GetBytes(password),
    };

    private static byte[][] Seeds()
    {
        var list = new List<byte[]>();
        foreach (MqttProtocolVersion v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "sensors/danang/fuzz-gw/telemetry"u8, "{\"values\":{\"water_level\":1.0}}"u8, MqttQualityOfService.AtMostOnce, false, false, 0)));
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "sensors/danang/fuzz-gw/status"u8, "online"u8, MqttQualityOfService.AtLeastOnce, true, false, 3)));
            list.Add(Encode(w => MqttPacketEncoder.WritePublish(w, v, "alerts/danang/dn-camle-wl"u8, "EVACUATE NOW"u8, MqttQualityOfService.ExactlyOnce, true, false, 4)));
            list.Add(Encode(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 2, Subscriptions = [new MqttSubscription { Filter = "fuzz/#", Qos = MqttQualityOfService.ExactlyOnce }] }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteSubscribe(w, new MqttSubscribePacket { PacketId = 6, Subscriptions = [new MqttSubscription { Filter = "$share/resilience/sensors/+/+/telemetry", Qos = MqttQualityOfService.AtLeastOnce }] }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteUnsubscribe(w, new MqttUnsubscribePacket { PacketId = 5, Filters = ["fuzz/#"] }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubRel, 4), v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteAck(w, new MqttAckPacket(MqttPacketType.PubAck, 9), v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteDisconnect(w, new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage }, v)));
            list.Add(Encode(w => MqttPacketEncoder.WriteConnect(w, new MqttConnectPacket { ClientId = "fuzz-second-connect", ProtocolVersion = v, UserName = "fuzz-gw", Password = "fuzz-secret"u8.ToArray() })));
        }

        list.Add(Encode(MqttPacketEncoder.WritePingReq));
        return [.. list];
    }

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Mutate(Random random, byte[] original, FuzzCounts counts)
    {
        byte[] bytes = (byte[])original.Clone();
        int kind = random.Next(8);
        counts.Kind(kind);
        switch (kind)
        {
            case 0:
                // Valid, as is.
                return bytes;
            case 1:
                // 1–3 flipped bits anywhere (fixed header, length, body).
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 2:
                // Truncated.
                return bytes.AsSpan(0, random.Next(1, bytes.Length)).ToArray();
            case 3:
                // A random byte in the body.
                if (bytes.Length > 2)
                {
                    bytes[2 + random.Next(bytes.Length - 2)] = (byte)random.Next(256);
                }

                return bytes;
            case 4:
                // A bad remaining-length varint: five bytes, or a continuation bit that never ends [MQTT-2.2.3].
                return random.Next(2) == 0 ? [bytes[0], 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] : [bytes[0], 0x80, 0x80, 0x80, 0x80, 0x01, 0x00];
            case 5:
                // A huge declared length (up to 256 MiB) followed by a few bytes of the body.
                byte[] huge = [bytes[0], (byte)(0x80 | random.Next(128)), (byte)(0x80 | random.Next(128)), 0xFF, 0x7F, .. bytes.AsSpan(1, Math.Min(bytes.Length - 1, 16))];
                return huge;
            case 6:
                // The packet followed by garbage.
                byte[] tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return [.. bytes, .. tail];
            default:
                byte[] r = new byte[random.Next(1, 64)];
                random.NextBytes(r);
                return r;
        }
    }

    private readonly record struct MqttBrokerMetricsSnapshotView(long Connections, long Rejected, int Sessions, long QueuedBytes)
    {
        public static MqttBrokerMetricsSnapshotView Of(MqttBrokerHost host)
        {
            var snapshot = host.Broker.GetMetricsSnapshot();
            return new MqttBrokerMetricsSnapshotView(snapshot.Connections, snapshot.Rejected, host.Broker.SessionCount, host.Broker.QueuedBytes);
        }
    }

    private sealed class PeakSampler
    {
        public long Heap { get; private set; }

        public long WorkingSet { get; private set; }

        public long Connections { get; private set; }

        public async Task RunAsync(MqttBrokerHost host, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                Heap = Math.Max(Heap, GC.GetTotalMemory(forceFullCollection: false));
                WorkingSet = Math.Max(WorkingSet, Environment.WorkingSet);
                Connections = Math.Max(Connections, host.Broker.GetMetricsSnapshot().Connections);
                try
                {
                    await Task.Delay(10, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private sealed class FuzzCounts
    {
        private static readonly string[] s_kinds = ["valid", "bit-flipped", "truncated", "random body byte", "bad length varint", "huge declared length", "trailing garbage", "random bytes"];
        private readonly int[] _kinds = new int[s_kinds.Length];
        private int _packets;
        private int _connections;
        private int _flood;

        public int Packets => Volatile.Read(ref _packets);

        public int Connections => Volatile.Read(ref _connections);

        public void Kind(int kind) => Interlocked.Increment(ref _kinds[kind]);

        public void Connected() => Interlocked.Increment(ref _connections);

        public void Sent(int packets, bool flood = false)
        {
            Interlocked.Add(ref _packets, packets);
            if (flood)
            {
                Interlocked.Increment(ref _flood);
            }
        }

        public string Describe()
        {
            var parts = new List<string>(s_kinds.Length + 1);
            for (int i = 0; i < s_kinds.Length; i++)
            {
                parts.Add(Invariant($"{_kinds[i]} {s_kinds[i]}"));
            }

            parts.Add(Invariant($"{_flood} CONNECTs flooded from one address"));
            return string.Join(", ", parts);
        }
    }
}
