using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Resilience.Silo.Hosting;

/// <summary>
/// The silo's grain instruments on the meter <c>Resilience.Silo.Grains</c> (served at <c>/metrics</c>):
/// activations and deactivations (the grains count themselves), activations alive now, and the duration of every
/// grain call, measured by this class as an Orleans incoming call filter.
/// </summary>
internal sealed class GrainMetrics : IIncomingGrainCallFilter, IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Resilience.Silo.Grains";

    private readonly Meter _meter;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _deactivations;
    private readonly Histogram<double> _turnDuration;
    private long _active;
    private long _activationsTotal;

    public GrainMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activations = _meter.CreateCounter<long>("resilience.grains.activations", description: "Grain activations created.");
        _deactivations = _meter.CreateCounter<long>("resilience.grains.deactivations", description: "Grain activations deactivated.");
        _turnDuration = _meter.CreateHistogram<double>("resilience.grains.turn_duration", unit: "ms", description: "Duration of one grain call (one turn, or several when the call awaits).");
        _meter.CreateObservableGauge("resilience.grains.active", () => Interlocked.Read(ref _active), description: "Activations alive now.");
    }

    /// <summary>Activations alive now.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Total activations since start.</summary>
    public long ActivationsTotal => Interlocked.Read(ref _activationsTotal);

    public void Activated()
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _activationsTotal);
        _activations.Add(1);
    }

    public void Deactivated()
    {
        Interlocked.Decrement(ref _active);
        _deactivations.Add(1);
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            _turnDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public void Dispose() => _meter.Dispose();
}
