using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Grains;

/// <summary>
/// The silo's virtual-actor runtime: one directory of activations per grain interface, an idle and checkpoint
/// sweep, and an orderly stop that drains every mailbox and deactivates every activation (writing its state).
/// </summary>
internal sealed partial class GrainRuntime : IGrainFactory, IDisposable
{
    private readonly FrozenDictionary<Type, GrainTypeDirectory> _directories;
    private readonly CancellationTokenSource _stopping = new();
    private readonly GrainRuntimeOptions _options;
    private volatile bool _stopped;

    public GrainRuntime(
        IServiceProvider services,
        IEnumerable<GrainTypeRegistration> registrations,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider time,
        ILogger<GrainRuntime> logger,
        IMeterFactory? meterFactory = null)
    {
        Services = services;
        Time = time;
        Logger = logger;
        _options = options.Value;
        MailboxCapacity = _options.MailboxCapacity;
        Metrics = new GrainMetrics(meterFactory);
        var map = new Dictionary<Type, GrainTypeDirectory>();
        foreach (GrainTypeRegistration r in registrations)
        {
            map[r.InterfaceType] = new GrainTypeDirectory(this, r.InterfaceType.Name, r.Factory);
        }

        _directories = map.ToFrozenDictionary();
        TimerFailed = ex => Log.TimerFailed(Logger, ex);
    }

    public IServiceProvider Services { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public GrainMetrics Metrics { get; }

    public int MailboxCapacity { get; }

    /// <summary>Cancelled when the runtime begins to stop.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>True once <see cref="StopAsync"/> finished: no new activations.</summary>
    public bool IsStopped => _stopped;

    internal Action<Exception> TimerFailed { get; }

    /// <summary>Number of activations of all types.</summary>
    public int ActivationCount
    {
        get
        {
            int n = 0;
            foreach (GrainTypeDirectory d in _directories.Values)
            {
                n += d.Count;
            }

            return n;
        }
    }

    /// <inheritdoc />
    public GrainReference<TGrain> GetGrain<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_directories.TryGetValue(typeof(TGrain), out GrainTypeDirectory? directory))
        {
            throw new InvalidOperationException($"No grain class is registered for {typeof(TGrain).Name}; call AddGrain<{typeof(TGrain).Name}, …>().");
        }

        return new GrainReference<TGrain>(directory, key);
    }

    /// <summary>One pass over every activation: queue deactivation of idle ones and checkpoints of dirty ones.</summary>
    public void Sweep()
    {
        long now = Time.GetTimestamp();
        long idle = ToTimestampTicks(_options.IdleDeactivationAge);
        long checkpoint = ToTimestampTicks(_options.CheckpointInterval);
        foreach (GrainTypeDirectory d in _directories.Values)
        {
            foreach (ActivationData a in d.Activations)
            {
                a.Sweep(now, idle, checkpoint);
            }
        }
    }

    /// <summary>Drains every mailbox and deactivates every activation; new calls fail afterwards.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        int passes = 0;
        var waits = new List<Task>();
        while (ActivationCount > 0 && passes++ < 5)
        {
            waits.Clear();
            foreach (GrainTypeDirectory d in _directories.Values)
            {
                foreach (ActivationData a in d.Activations)
                {
                    a.TryEnqueue(new DeactivateWorkItem(DeactivationReason.Shutdown), force: true);
                    waits.Add(a.WaitDeactivatedAsync());
                }
            }

            await Task.WhenAll(waits).WaitAsync(cancellationToken);
        }

        _stopped = true;
        await _stopping.CancelAsync();
        Log.Stopped(Logger, Metrics.DeactivationsTotal);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        Metrics.Dispose();
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Time.TimestampFrequency);
}
