namespace Resilience.Simulation.Scenarios;

/// <summary>
/// A river's response in alarm units over the scenario, precomputed at one-minute steps: lagged rain feeds a linear
/// reservoir (dS/dt = R(t − lag) − S/k), and the reservoir's peak is scaled to the scenario's <c>peakAlarm</c>.
/// </summary>
internal sealed class RiverCurve
{
    private const double StepSeconds = 60;
    private readonly double[] _alarm;

    public RiverCurve(Keyframes rain, RiverSettings river, double durationHours)
    {
        int steps = (int)Math.Ceiling(durationHours * 3600 / StepSeconds) + 2;
        var storage = new double[steps];
        double k = river.RecessionHours;
        double s = 0;
        double peak = 0;
        for (int i = 0; i < steps; i++)
        {
            double hour = i * StepSeconds / 3600;
            double inflow = rain.At(hour - river.LagHours); // mm/h
            s += (inflow - (s / k)) * (StepSeconds / 3600);
            storage[i] = s;
            peak = Math.Max(peak, s);
        }

        double gain = peak > 0 ? river.PeakAlarm / peak : 0;
        _alarm = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            _alarm[i] = storage[i] * gain;
        }
    }

    /// <summary>Alarm units at <paramref name="seconds"/> since the start (0 = baseline, 1 = I, 2 = II, 3 = III).</summary>
    public double At(double seconds)
    {
        double x = Math.Clamp(seconds / StepSeconds, 0, _alarm.Length - 1);
        int i = (int)x;
        if (i >= _alarm.Length - 1)
        {
            return _alarm[^1];
        }

        double f = x - i;
        return _alarm[i] + (f * (_alarm[i + 1] - _alarm[i]));
    }
}
