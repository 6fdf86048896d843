namespace Resilience.Silo.Sensors;

/// <summary>A sensor's sequence-number window: the anchor, the 64 numbers below it, and a re-sync candidate.</summary>
/// <param name="MaxSeq">Highest anchored sequence number, or -1 before the first.</param>
/// <param name="Window">Bit i set = <c>MaxSeq - i</c> seen.</param>
/// <param name="Candidate">A number outside the window waiting for a follower to re-anchor on, or -1.</param>
internal record struct SequenceState(long MaxSeq, ulong Window, long Candidate)
{
    /// <summary>The state before any reading.</summary>
    public static SequenceState Empty => new(-1, 0, -1);
}

/// <summary>What <see cref="SequenceGuard.Check"/> decided.</summary>
internal enum SequenceVerdict : byte
{
    /// <summary>New, inside the window or a bounded step forward: accepted and anchored.</summary>
    Accepted,

    /// <summary>Already seen (in the window, or the pending candidate again): drop and count.</summary>
    Duplicate,

    /// <summary>Outside the window (a huge jump forward, or far below: a counter reset): accepted, not anchored yet.</summary>
    Unconfirmed,

    /// <summary>The second number in a row continuing from the candidate: accepted, and the window moved there.</summary>
    Resynced,
}

/// <summary>
/// Duplicate detection by sequence number that no single reading can poison. A 64-wide anti-replay window (as
/// IPsec's) accepts late but unseen numbers; a step forward of at most <see cref="MaxForwardJump"/> moves it. A
/// number outside that range (a forged <c>seq: 9e18</c>, or a device that restarted its counter at 0) is accepted as
/// data but does not move the window: only a second number continuing from it (within the jump bound) re-anchors
/// there. So one forged reading cannot make a sensor's real readings look like duplicates, and a genuine counter
/// reset costs nothing: both readings are kept. Pure: no clock, no I/O.
/// </summary>
internal static class SequenceGuard
{
    /// <summary>Width of the anti-replay window.</summary>
    public const int WindowSize = 64;

    /// <summary>
    /// The largest forward step that moves the window directly: 1,000,000 (more than 11 days of one reading a second
    /// lost in a gap). Anything further needs a second reading to confirm it.
    /// </summary>
    public const long MaxForwardJump = 1_000_000;

    /// <summary>Checks <paramref name="seq"/> (≥ 0) against <paramref name="state"/> and updates it.</summary>
    public static SequenceVerdict Check(ref SequenceState state, long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        if (state.MaxSeq < 0)
        {
            state = new SequenceState(seq, 1UL, -1);
            return SequenceVerdict.Accepted;
        }

        if (seq > state.MaxSeq)
        {
            long step = seq - state.MaxSeq;
            if (step <= MaxForwardJump)
            {
                ulong window = step >= WindowSize ? 1UL : (state.Window << (int)step) | 1UL;
                state = new SequenceState(seq, window, -1);
                return SequenceVerdict.Accepted;
            }

            return Resync(ref state, seq);
        }

        long back = state.MaxSeq - seq;
        if (back < WindowSize)
        {
            ulong bit = 1UL << (int)back;
            if ((state.Window & bit) != 0)
            {
                return SequenceVerdict.Duplicate;
            }

            state = state with { Window = state.Window | bit };
            return SequenceVerdict.Accepted;
        }

        return Resync(ref state, seq);
    }

    private static SequenceVerdict Resync(ref SequenceState state, long seq)
    {
        long candidate = state.Candidate;
        if (seq == candidate)
        {
            return SequenceVerdict.Duplicate;
        }

        if (candidate >= 0 && seq > candidate && seq - candidate <= MaxForwardJump)
        {
            long step = seq - candidate;
            ulong window = 1UL | (step < WindowSize ? 1UL << (int)step : 0UL);
            state = new SequenceState(seq, window, -1);
            return SequenceVerdict.Resynced;
        }

        state = state with { Candidate = seq };
        return SequenceVerdict.Unconfirmed;
    }
}
