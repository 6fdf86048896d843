using System.Buffers;
using Resilience.Ingest.Mqtt.Framing;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Tests.Mqtt;

/// <summary>Random, truncated and mutated input: only <see cref="MqttProtocolException"/> may escape the codec.</summary>
public sealed class MqttDecoderFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decode_MutatedAndRandomPackets_ThrowOnlyTheProtocolException(int seed)
    {
        var random = new Random(seed);
        var seeds = new List<byte[]>();
        foreach (MqttProtocolVersion v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            foreach ((_, byte[] bytes) in MqttTestPackets.All(v))
            {
                seeds.Add(bytes);
            }
        }

        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 4000; i++)
        {
            byte[] input = Mutate(random, seeds[random.Next(seeds.Count)]);
            foreach (MqttProtocolVersion version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                try
                {
                    var buffer = new ReadOnlySequence<byte>(input);
                    while (MqttFrameReader.TryRead(ref buffer, 4096, out MqttFrame frame))
                    {
                        MqttPacketDecoder.Decode(frame, version);
                        decoded++;
                    }
                }
                catch (MqttProtocolException)
                {
                    rejected++;
                }
            }
        }

        decoded.Should().BeGreaterThan(100);
        rejected.Should().BeGreaterThan(100);
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0:
                // Flip a few bytes in the body, keeping the fixed header so the frame stays complete.
                for (int k = 0; k < 1 + random.Next(4); k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                // Truncate the body but keep the declared length consistent: rewrite as a new frame.
                int cut = random.Next(bytes.Length);
                return bytes.AsSpan(0, cut).ToArray();
            case 2:
                {
                    // Random bytes behind a plausible header.
                    byte[] r = new byte[2 + random.Next(64)];
                    random.NextBytes(r);
                    r[1] = (byte)(r.Length - 2);
                    return r;
                }

            case 3:
                {
                    // Mutate a body byte and re-frame with the right length, so decoders see the damage.
                    int headerLength = bytes[1] < 128 ? 2 : 3;
                    if (bytes.Length <= headerLength)
                    {
                        return bytes;
                    }

                    int at = headerLength + random.Next(bytes.Length - headerLength);
                    bytes[at] = (byte)random.Next(256);
                    return bytes;
                }

            case 4:
                {
                    // Drop one body byte and fix the remaining length (single-byte lengths only).
                    if (bytes.Length < 3 || bytes[1] >= 128)
                    {
                        return bytes;
                    }

                    int at = 2 + random.Next(bytes.Length - 2);
                    byte[] shorter = [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + 1)];
                    shorter[1]--;
                    return shorter;
                }

            default:
                {
                    byte[] r = new byte[random.Next(1, 32)];
                    random.NextBytes(r);
                    return r;
                }
        }
    }
}
