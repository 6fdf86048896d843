namespace Resilience.Simulation.Scenarios;

/// <summary>A piecewise-linear curve over simulated hours, held flat before the first and after the last point.</summary>
public sealed class Keyframes
{
    private readonly double[] _hours;
    private readonly double[] _values;

    /// <summary>A constant curve.</summary>
    public static readonly Keyframes Zero = new([[0, 0]], "zero");

    /// <summary>Builds a curve from <c>[hour, value]</c> pairs in increasing hour order.</summary>
    public Keyframes(IReadOnlyList<IReadOnlyList<double>> points, string what)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new FormatException($"{what}: at least one [hour, value] keyframe is needed.");
        }

        _hours = new double[points.Count];
        _values = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].Count != 2 || !double.IsFinite(points[i][0]) || !double.IsFinite(points[i][1]))
            {
                throw new FormatException($"{what}: keyframe {i} must be [hour, value].");
            }

            if (i > 0 && points[i][0] <= _hours[i - 1])
            {
                throw new FormatException($"{what}: keyframe hours must increase.");
            }

            _hours[i] = points[i][0];
            _values[i] = points[i][1];
        }
    }

    /// <summary>The largest value.</summary>
    public double Max => _values.Max();

    /// <summary>The value at <paramref name="hour"/>.</summary>
    public double At(double hour)
    {
        if (hour <= _hours[0])
        {
            return _values[0];
        }

        for (int i = 1; i < _hours.Length; i++)
        {
            if (hour <= _hours[i])
            {
                double f = (hour - _hours[i - 1]) / (_hours[i] - _hours[i - 1]);
                return _values[i - 1] + (f * (_values[i] - _values[i - 1]));
            }
        }

        return _values[^1];
    }
}
