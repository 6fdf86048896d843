namespace Resilience.Alerts.Evaluation;

/// <summary>
/// A fixed ring of (time, value) samples over a rate-of-rise window. Samples closer together than
/// window/100 are not stored, so at most 101 samples are in the window whatever the reporting interval
/// (the ring holds 128: a power of two, so indices wrap with a mask).
/// </summary>
internal sealed class RateWindow
{
    private const int Capacity = 128;
    private const int Mask = Capacity - 1;
    private readonly long[] _ticks = new long[Capacity];
    private readonly double[] _values = new double[Capacity];
    private readonly long _windowTicks;
    private readonly long _spacingTicks;
    private int _head;
    private int _count;

    /// <summary>Creates a window of <paramref name="window"/>.</summary>
    public RateWindow(TimeSpan window)
    {
        _windowTicks = window.Ticks;
        _spacingTicks = window.Ticks / 100;
    }

    /// <summary>
    /// Adds a sample and returns the rise per hour since the oldest sample in the window, once the samples
    /// span at least half the window. Late samples (older than the newest) are ignored.
    /// </summary>
    public bool TryAdd(long ticks, double value, out double perHour)
    {
        perHour = 0;
        if (_count > 0)
        {
            long newest = _ticks[(_head + _count - 1) & Mask];
            if (ticks < newest)
            {
                return false;
            }

            while (_count > 0 && ticks - _ticks[_head] > _windowTicks)
            {
                _head = (_head + 1) & Mask;
                _count--;
            }
        }

        bool have = false;
        if (_count > 0)
        {
            long span = ticks - _ticks[_head];
            if (span * 2 >= _windowTicks && span > 0)
            {
                perHour = (value - _values[_head]) * TimeSpan.TicksPerHour / span;
                have = true;
            }
        }

        if (_count == 0 || ticks - _ticks[(_head + _count - 1) & Mask] >= _spacingTicks)
        {
            if (_count == Capacity)
            {
                _head = (_head + 1) & Mask;
                _count--;
            }

            int slot = (_head + _count) & Mask;
            _ticks[slot] = ticks;
            _values[slot] = value;
            _count++;
        }

        return have;
    }
}
