namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Which audit sequence numbers the feed has seen. Sequence numbers of a shared ledger are taken when a transaction
/// inserts its entry, not when it commits, so with several silos committing, 11 can become visible before 10. The
/// cursor keeps the highest number seen plus the set of missing numbers below it (the gaps), each with the time it
/// was first missed; a gap is looked for again on every poll until it shows up or is older than the grace window (a
/// rolled-back transaction leaves a gap that never fills). At most <c>maxGaps</c> are kept; beyond that the oldest
/// are given up.
/// </summary>
internal sealed class AlertFeedCursor
{
    private readonly SortedDictionary<long, DateTimeOffset> _gaps = [];
    private readonly TimeSpan _grace;
    private readonly int _maxGaps;

    /// <summary>
    /// Starts after <paramref name="high"/>; the numbers in (<paramref name="scannedAfter"/>, <paramref name="high"/>]
    /// missing from <paramref name="visible"/> are gaps as of <paramref name="now"/> (transactions still open at start).
    /// </summary>
    public AlertFeedCursor(long high, long scannedAfter, IEnumerable<long> visible, DateTimeOffset now, TimeSpan grace, int maxGaps = 10_000)
    {
        ArgumentNullException.ThrowIfNull(visible);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGaps, 1);
        _grace = grace;
        _maxGaps = maxGaps;
        High = Math.Max(scannedAfter, 0);
        foreach (long seq in visible)
        {
            if (seq > scannedAfter && seq <= high)
            {
                Accept(seq, now); // any order: a lower number after a higher one fills its gap
            }
        }

        if (high > High)
        {
            Accept(high, now); // the maximum vanished between the two reads: start after it anyway
        }
    }

    /// <summary>The highest sequence number seen.</summary>
    public long High { get; private set; }

    /// <summary>Missing numbers below <see cref="High"/> still looked for.</summary>
    public int GapCount => _gaps.Count;

    /// <summary>Gaps given up so far (expired or beyond the limit).</summary>
    public long GivenUp { get; private set; }

    /// <summary>Marks <paramref name="seq"/> seen; true when it was new (above the high mark, or a gap that filled).</summary>
    public bool Accept(long seq, DateTimeOffset now)
    {
        if (seq > High)
        {
            long missing = seq - High - 1;
            long from = High + 1;
            if (missing > _maxGaps)
            {
                GivenUp += missing - _maxGaps;
                from = seq - _maxGaps;
            }

            for (long s = from; s < seq; s++)
            {
                AddGap(s, now);
            }

            High = seq;
            return true;
        }

        return _gaps.Remove(seq);
    }

    /// <summary>Up to <paramref name="max"/> gaps, oldest (lowest) first, to look for.</summary>
    public List<long> Gaps(int max)
    {
        var list = new List<long>(Math.Min(max, _gaps.Count));
        foreach (long seq in _gaps.Keys)
        {
            if (list.Count == max)
            {
                break;
            }

            list.Add(seq);
        }

        return list;
    }

    /// <summary>Gives up gaps missed for longer than the grace window; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        List<long>? expired = null;
        foreach (KeyValuePair<long, DateTimeOffset> gap in _gaps)
        {
            if (now - gap.Value > _grace)
            {
                (expired ??= []).Add(gap.Key);
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (long seq in expired)
        {
            _gaps.Remove(seq);
        }

        GivenUp += expired.Count;
        return expired.Count;
    }

    private void AddGap(long seq, DateTimeOffset now)
    {
        if (_gaps.Count >= _maxGaps)
        {
            long oldest = _gaps.Keys.First();
            if (oldest > seq)
            {
                GivenUp++;
                return;
            }

            _gaps.Remove(oldest);
            GivenUp++;
        }

        _gaps[seq] = now;
    }
}
