using System.Buffers;

namespace Resilience.Ingest.Tests.Mqtt;

/// <summary>Builds multi-segment sequences for framing tests.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var a = new TestSegment(first, 0);
        var b = new TestSegment(second, first.Length);
        a.Next = b;
        return new ReadOnlySequence<byte>(a, 0, b, second.Length);
    }
}
