namespace Resilience.Alerts.Evaluation;

/// <summary>
/// Rainfall totals over several windows (1 h, 3 h, 24 h by default) kept in fixed-width buckets (5 min by
/// default) with a running sum per window, in whole micrometres so that the sums never drift. A window's
/// total covers its whole buckets plus the current, partial one.
/// </summary>
internal sealed class RainAccumulator
{
    private readonly long[] _buckets;
    private readonly int[] _windowBuckets;
    private readonly long[] _sums;
    private readonly long _bucketTicks;
    private long _current = long.MinValue;

    /// <summary>Creates an accumulator for <paramref name="windows"/> with buckets of <paramref name="bucket"/>.</summary>
    public RainAccumulator(TimeSpan bucket, TimeSpan[] windows)
    {
        _bucketTicks = bucket.Ticks;
        _windowBuckets = new int[windows.Length];
        int longest = 1;
        for (int i = 0; i < windows.Length; i++)
        {
            _windowBuckets[i] = (int)Math.Max(1, windows[i].Ticks / _bucketTicks);
            longest = Math.Max(longest, _windowBuckets[i]);
        }

        _buckets = new long[longest];
        _sums = new long[windows.Length];
    }

    /// <summary>Adds <paramref name="millimetres"/> observed at <paramref name="ticks"/> (UTC).</summary>
    public void Add(long ticks, double millimetres)
    {
        long bucket = ticks / _bucketTicks;
        if (_current == long.MinValue)
        {
            _current = bucket;
        }
        else if (bucket > _current)
        {
            AdvanceTo(bucket);
        }

        if (!double.IsFinite(millimetres) || millimetres <= 0)
        {
            return;
        }

        long age = _current - bucket;
        if (age >= _buckets.Length)
        {
            return; // later than every window
        }

        long micrometres = (long)Math.Round(millimetres * 1000.0);
        _buckets[(int)(bucket % _buckets.Length)] += micrometres;
        for (int w = 0; w < _sums.Length; w++)
        {
            if (age < _windowBuckets[w])
            {
                _sums[w] += micrometres;
            }
        }
    }

    /// <summary>Moves the clock forward without rain (so that totals fall as time passes).</summary>
    public void AdvanceTo(long bucket)
    {
        if (_current == long.MinValue || bucket <= _current)
        {
            _current = Math.Max(_current, bucket);
            return;
        }

        if (bucket - _current >= _buckets.Length)
        {
            Array.Clear(_buckets);
            Array.Clear(_sums);
            _current = bucket;
            return;
        }

        int n = _buckets.Length;
        for (long step = _current + 1; step <= bucket; step++)
        {
            for (int w = 0; w < _sums.Length; w++)
            {
                long leaving = step - _windowBuckets[w];
                _sums[w] -= _buckets[(int)(((leaving % n) + n) % n)];
            }

            _buckets[(int)(step % n)] = 0;
        }

        _current = bucket;
    }

    /// <summary>The total of window <paramref name="index"/> in millimetres.</summary>
    public double Total(int index) => _sums[index] / 1000.0;
}
