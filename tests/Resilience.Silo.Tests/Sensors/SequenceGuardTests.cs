using Resilience.Silo.Sensors;

namespace Resilience.Silo.Tests.Sensors;

public sealed class SequenceGuardTests
{
    private static SequenceVerdict[] Feed(ref SequenceState state, params long[] seqs)
    {
        var verdicts = new SequenceVerdict[seqs.Length];
        for (int i = 0; i < seqs.Length; i++)
        {
            verdicts[i] = SequenceGuard.Check(ref state, seqs[i]);
        }

        return verdicts;
    }

    [Fact]
    public void InOrderLateAndRepeated_AcceptedOnceEach()
    {
        SequenceState state = SequenceState.Empty;

        SequenceVerdict[] verdicts = Feed(ref state, 1, 2, 5, 3, 5, 4, 3);

        verdicts.Should().Equal(
            SequenceVerdict.Accepted, SequenceVerdict.Accepted, SequenceVerdict.Accepted, SequenceVerdict.Accepted,
            SequenceVerdict.Duplicate, SequenceVerdict.Accepted, SequenceVerdict.Duplicate);
        state.MaxSeq.Should().Be(5);
    }

    [Fact]
    public void BoundedForwardJump_MovesTheWindow()
    {
        SequenceState state = SequenceState.Empty;

        Feed(ref state, 100, 100 + SequenceGuard.MaxForwardJump).Should().OnlyContain(v => v == SequenceVerdict.Accepted);

        state.MaxSeq.Should().Be(100 + SequenceGuard.MaxForwardJump);
    }

    [Theory]
    [InlineData(9_000_000_000_000_000_000)]
    [InlineData(long.MaxValue)]
    [InlineData(1235 + SequenceGuard.MaxForwardJump + 1)]
    public void OneForgedHugeSeq_DoesNotBlockTheRealCounter(long forged)
    {
        SequenceState state = SequenceState.Empty;
        Feed(ref state, 1230, 1231, 1232, 1233, 1234);

        SequenceGuard.Check(ref state, forged).Should().Be(SequenceVerdict.Unconfirmed, "kept as data, but it does not move the window");
        SequenceVerdict[] real = Feed(ref state, 1235, 1236, 1237);

        real.Should().OnlyContain(v => v == SequenceVerdict.Accepted, "the device's next readings are not duplicates");
        state.MaxSeq.Should().Be(1237);
        SequenceGuard.Check(ref state, 1236).Should().Be(SequenceVerdict.Duplicate, "dedupe still works");
    }

    [Fact]
    public void TwoForgedReadings_ReanchorButTheRealCounterWinsBackAtOnce()
    {
        SequenceState state = SequenceState.Empty;
        Feed(ref state, 1234);

        Feed(ref state, 9_000_000_000_000_000_000, 9_000_000_000_000_000_001)
            .Should().Equal(SequenceVerdict.Unconfirmed, SequenceVerdict.Resynced);
        Feed(ref state, 1235, 1236, 1237)
            .Should().Equal(SequenceVerdict.Unconfirmed, SequenceVerdict.Resynced, SequenceVerdict.Accepted); // no real reading is ever dropped
        state.MaxSeq.Should().Be(1237);
    }

    [Fact]
    public void CounterReset_BothReadingsKeptAndTheWindowMoves()
    {
        SequenceState state = SequenceState.Empty;
        Feed(ref state, 5000, 5001);

        Feed(ref state, 0, 1, 2).Should().Equal(SequenceVerdict.Unconfirmed, SequenceVerdict.Resynced, SequenceVerdict.Accepted);

        state.MaxSeq.Should().Be(2);
        Feed(ref state, 0, 1, 2).Should().OnlyContain(v => v == SequenceVerdict.Duplicate, "after the re-sync the first number is inside the window too");
    }

    [Fact]
    public void PendingCandidateRedelivered_IsADuplicate()
    {
        SequenceState state = SequenceState.Empty;
        Feed(ref state, 5000);

        Feed(ref state, 0, 0).Should().Equal(SequenceVerdict.Unconfirmed, SequenceVerdict.Duplicate);
    }

    [Fact]
    public void FarOldReplay_DoesNotMoveTheWindow()
    {
        SequenceState state = SequenceState.Empty;
        Feed(ref state, 1000, 1001);

        SequenceGuard.Check(ref state, 10).Should().Be(SequenceVerdict.Unconfirmed);
        SequenceGuard.Check(ref state, 1002).Should().Be(SequenceVerdict.Accepted);
        state.MaxSeq.Should().Be(1002);
    }
}
