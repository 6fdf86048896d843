using System.Text;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Storage;

public sealed class SegmentSpoolTests : IDisposable
{
    private const long Kb = 1024;
    private readonly TempDirectory _dir = new("spool-test");

    public void Dispose() => _dir.Dispose();

    private SegmentSpool Open(long maxBytes = 1024 * Kb, long segmentBytes = 4 * Kb, SpoolFullPolicy policy = SpoolFullPolicy.Block, SpoolDurability durability = SpoolDurability.FsyncPerBatch) =>
        new(_dir.Path, maxBytes, segmentBytes, policy, durability);

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"m v={i}i {i}\n" + new string('x', 100 + (i % 7)) + "\n");

    private static List<string> DrainAll(SegmentSpool spool, bool ack = true)
    {
        var seen = new List<string>();
        var batch = new WriteBatch(64);
        while (spool.TryPeek(batch, out SpoolPosition position))
        {
            seen.Add(Encoding.UTF8.GetString(batch.Buffer, 0, batch.Length));
            batch.Lines.Should().Be(2);
            if (!ack)
            {
                break;
            }

            spool.Ack(position);
        }

        return seen;
    }

    private static string Text(int i) => Encoding.UTF8.GetString(Record(i));

    [Fact]
    public void TryPeek_AcrossSegmentRolls_ReplaysInAppendOrder()
    {
        using SegmentSpool spool = Open();
        for (int i = 0; i < 100; i++)
        {
            spool.TryAppend(Record(i), 2).Should().BeTrue();
        }

        Directory.GetFiles(_dir.Path, "*.seg").Length.Should().BeGreaterThan(2);
        List<string> seen = DrainAll(spool);

        seen.Should().Equal(Enumerable.Range(0, 100).Select(Text));
        spool.IsEmpty.Should().BeTrue();
        spool.UsedBytes.Should().Be(0);
        Directory.GetFiles(_dir.Path, "*.seg").Length.Should().Be(1, "acknowledged segments are deleted");
    }

    [Fact]
    public void Reopen_AfterPartialAck_ReplaysOnlyUnacknowledgedInOrder()
    {
        using (SegmentSpool spool = Open())
        {
            for (int i = 0; i < 60; i++)
            {
                spool.TryAppend(Record(i), 2);
            }

            var batch = new WriteBatch(64);
            for (int i = 0; i < 25; i++)
            {
                spool.TryPeek(batch, out SpoolPosition position).Should().BeTrue();
                spool.Ack(position);
            }
        }

        using SegmentSpool reopened = Open();
        reopened.PendingRecords.Should().Be(35);
        DrainAll(reopened).Should().Equal(Enumerable.Range(25, 35).Select(Text));
    }

    [Fact]
    public void Reopen_TornLastRecord_IsDetectedAndDropped()
    {
        using (SegmentSpool spool = Open(segmentBytes: 1024 * Kb))
        {
            for (int i = 0; i < 3; i++)
            {
                spool.TryAppend(Record(i), 2);
            }
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        long length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 5); // a crash in the middle of the third record
        }

        using SegmentSpool reopened = Open(segmentBytes: 1024 * Kb);
        reopened.CorruptRecords.Should().Be(1);
        reopened.TryAppend(Record(3), 2).Should().BeTrue();
        DrainAll(reopened).Should().Equal(Text(0), Text(1), Text(3));
    }

    [Fact]
    public void Reopen_FlippedByteInLastRecord_FailsChecksumAndIsDropped()
    {
        using (SegmentSpool spool = Open(segmentBytes: 1024 * Kb))
        {
            spool.TryAppend(Record(0), 2);
            spool.TryAppend(Record(1), 2);
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0x20;
        File.WriteAllBytes(segment, bytes);

        using SegmentSpool reopened = Open(segmentBytes: 1024 * Kb);
        reopened.CorruptRecords.Should().Be(1);
        DrainAll(reopened).Should().Equal(Text(0));
    }

    [Fact]
    public void Reopen_GarbageAfterLastRecord_IsTruncated()
    {
        using (SegmentSpool spool = Open(segmentBytes: 1024 * Kb))
        {
            spool.TryAppend(Record(0), 2);
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(new byte[] { 0x52, 0x53, 0x50 });
        }

        using SegmentSpool reopened = Open(segmentBytes: 1024 * Kb);
        DrainAll(reopened).Should().Equal(Text(0));
    }

    [Fact]
    public void TryAppend_BlockPolicyWhenFull_RefusesUntilAcknowledged()
    {
        long record = SegmentSpool.HeaderSize + Record(0).Length;
        using SegmentSpool spool = Open(maxBytes: record * 4 + 10, segmentBytes: record * 2 + 1);
        for (int i = 0; i < 4; i++)
        {
            spool.TryAppend(Record(0), 2).Should().BeTrue();
        }

        Task space = spool.SpaceAvailable.WaitAsync();
        spool.TryAppend(Record(0), 2).Should().BeFalse();
        space.IsCompleted.Should().BeFalse();

        var batch = new WriteBatch(64);
        spool.TryPeek(batch, out SpoolPosition position).Should().BeTrue();
        spool.Ack(position);

        space.IsCompleted.Should().BeTrue();
        spool.TryAppend(Record(0), 2).Should().BeTrue();
        spool.DroppedLines.Should().Be(0);
    }

    [Fact]
    public void TryAppend_DropOldestWhenFull_DropsOldestAndCountsLines()
    {
        long record = SegmentSpool.HeaderSize + Record(0).Length;
        using SegmentSpool spool = Open(maxBytes: record * 4 + 10, segmentBytes: record * 2 + 1, policy: SpoolFullPolicy.DropOldest);
        for (int i = 0; i < 10; i++)
        {
            spool.TryAppend(Record(i * 7), 2).Should().BeTrue();
        }

        spool.DroppedLines.Should().Be(12);
        spool.UsedBytes.Should().BeLessThanOrEqualTo(record * 4 + 10);
        DrainAll(spool).Should().Equal(Text(42), Text(49), Text(56), Text(63));
    }

    [Fact]
    public void Ack_OfRecordDroppedMeanwhile_IsIgnored()
    {
        long record = SegmentSpool.HeaderSize + Record(0).Length;
        using SegmentSpool spool = Open(maxBytes: record * 2 + 10, segmentBytes: record * 2 + 1, policy: SpoolFullPolicy.DropOldest);
        spool.TryAppend(Record(0), 2);
        spool.TryAppend(Record(7), 2);
        var batch = new WriteBatch(64);
        spool.TryPeek(batch, out SpoolPosition inFlight).Should().BeTrue();

        spool.TryAppend(Record(14), 2); // drops record 0 while it is "in flight"
        spool.Ack(inFlight);

        DrainAll(spool).Should().Equal(Text(7), Text(14));
    }

    [Fact]
    public void TryReadNext_WindowOfRecordsAcrossSegments_ReadsAheadAndAcksInOrder()
    {
        using SegmentSpool spool = Open();
        for (int i = 0; i < 80; i++)
        {
            spool.TryAppend(Record(i), 2);
        }

        var cursor = default(SpoolPosition);
        var seen = new List<string>();
        var window = new Queue<SpoolPosition>();
        while (true)
        {
            while (window.Count < 3)
            {
                var batch = new WriteBatch(64);
                if (!spool.TryReadNext(ref cursor, batch, out SpoolPosition position))
                {
                    break;
                }

                seen.Add(Encoding.UTF8.GetString(batch.Buffer, 0, batch.Length));
                window.Enqueue(position);
            }

            if (window.Count == 0)
            {
                break;
            }

            spool.Ack(window.Dequeue());
        }

        seen.Should().Equal(Enumerable.Range(0, 80).Select(Text));
        spool.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void TryReadNext_ResetCursor_RereadsFromOldestUnacknowledged()
    {
        using SegmentSpool spool = Open();
        for (int i = 0; i < 5; i++)
        {
            spool.TryAppend(Record(i), 2);
        }

        var cursor = default(SpoolPosition);
        var batch = new WriteBatch(64);
        spool.TryReadNext(ref cursor, batch, out SpoolPosition first).Should().BeTrue();
        spool.TryReadNext(ref cursor, batch, out _).Should().BeTrue();
        spool.Ack(first);

        cursor = default;
        spool.TryReadNext(ref cursor, batch, out _).Should().BeTrue();
        Encoding.UTF8.GetString(batch.Buffer, 0, batch.Length).Should().Be(Text(1));
    }

    [Fact]
    public void Reopen_AfterEverythingAcknowledged_IsEmpty()
    {
        using (SegmentSpool spool = Open())
        {
            for (int i = 0; i < 50; i++)
            {
                spool.TryAppend(Record(i), 2);
            }

            DrainAll(spool);
        }

        using SegmentSpool reopened = Open();
        reopened.IsEmpty.Should().BeTrue();
        reopened.TryPeek(new WriteBatch(64), out _).Should().BeFalse();
    }
}
