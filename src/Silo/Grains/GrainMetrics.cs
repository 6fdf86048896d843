using System.Diagnostics.Metrics;

namespace Resilience.Silo.Grains;

/// <summary>The runtime's instruments on the meter <c>Resilience.Silo.Grains</c>.</summary>
internal sealed class GrainMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Resilience.Silo.Grains";

    private readonly Meter _meter;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _deactivations;
    private readonly Counter<long> _backpressured;
    private readonly Histogram<double> _turnDuration;
    private long _queueDepth;
    private long _active;
    private long _activationsTotal;
    private long _deactivationsTotal;

    public GrainMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activations = _meter.CreateCounter<long>("resilience.grains.activations", description: "Grain activations created.");
        _deactivations = _meter.CreateCounter<long>("resilience.grains.deactivations", description: "Grain activations deactivated.");
        _backpressured = _meter.CreateCounter<long>("resilience.grains.backpressured", description: "Calls that waited for mailbox space.");
        _turnDuration = _meter.CreateHistogram<double>("resilience.grains.turn_duration", unit: "ms", description: "Duration of one grain turn.");
        _meter.CreateObservableGauge("resilience.grains.active", () => Interlocked.Read(ref _active), description: "Activations alive now.");
        _meter.CreateObservableGauge("resilience.grains.queue_depth", () => Interlocked.Read(ref _queueDepth), description: "Calls queued in all mailboxes.");
    }

    /// <summary>Activations alive now.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Total activations since start.</summary>
    public long ActivationsTotal => Interlocked.Read(ref _activationsTotal);

    /// <summary>Total deactivations since start.</summary>
    public long DeactivationsTotal => Interlocked.Read(ref _deactivationsTotal);

    /// <summary>Calls queued in all mailboxes now.</summary>
    public long QueueDepth => Interlocked.Read(ref _queueDepth);

    public void Activated()
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _activationsTotal);
        _activations.Add(1);
    }

    public void Deactivated()
    {
        Interlocked.Decrement(ref _active);
        Interlocked.Increment(ref _deactivationsTotal);
        _deactivations.Add(1);
    }

    public void QueueDepthChanged(long delta) => Interlocked.Add(ref _queueDepth, delta);

    public void Backpressured() => _backpressured.Add(1);

    public void TurnCompleted(TimeSpan elapsed) => _turnDuration.Record(elapsed.TotalMilliseconds);

    public void Dispose() => _meter.Dispose();
}
