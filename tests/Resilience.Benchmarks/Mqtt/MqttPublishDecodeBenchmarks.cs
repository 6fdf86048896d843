using System.Buffers;
using BenchmarkDotNet.Attributes;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Benchmarks.Mqtt;

/// <summary>
/// Framing plus decoding of a 100-byte QoS 0 PUBLISH, the broker's hot path (target ≥ 5,000,000/s on one core,
/// 0 bytes allocated). Run: <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- --filter *MqttPublishDecode* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MqttPublishDecodeBenchmarks
{
    private const int Batch = 1000;
    private byte[] _v311 = [];
    private byte[] _v5 = [];

    [GlobalSetup]
    public void Setup()
    {
        _v311 = MqttLoadPackets.Publish("sensors/danang/dn-camle-wl/telemetry", MqttProtocolVersion.V311, 100);
        _v5 = MqttLoadPackets.Publish("sensors/danang/dn-camle-wl/telemetry", MqttProtocolVersion.V500, 100);
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public int DecodePublishV311() => Decode(_v311, MqttProtocolVersion.V311);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int DecodePublishV5() => Decode(_v5, MqttProtocolVersion.V500);

    private static int Decode(byte[] packet, MqttProtocolVersion version)
    {
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            var buffer = new ReadOnlySequence<byte>(packet);
            MqttFrameReader.TryRead(ref buffer, out MqttFrame frame);
            MqttPublishPacket publish = MqttPacketDecoder.DecodePublish(frame.Body.First, frame.Flags, version);
            total += publish.Payload.Length + publish.Topic.Length;
        }

        return total;
    }
}
