using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Delivers outbox messages of its channels at least once, in order per alert: each pass takes the oldest
/// pending message of every alert that is due, tries it, and records delivery, or a retry with exponential
/// backoff and jitter, or a dead letter after the last attempt. Woken by <see cref="OutboxSignal"/> when a
/// change commits, and by a <see cref="PeriodicTimer"/> for retries; it survives restarts because the outbox
/// is in the same database as the alerts. Several workers (one per silo of a cluster) may share one outbox:
/// each message is claimed with a lease (owner and expiry, <see cref="DispatchOptions.LeaseDuration"/>), and a
/// message whose worker died mid-delivery is taken by another once the lease runs out.
/// </summary>
internal abstract partial class OutboxWorker : BackgroundService
{
    private readonly AlertStore _store;
    private readonly OutboxSignal _signal;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner;

    /// <summary>Creates the worker.</summary>
    protected OutboxWorker(AlertStore store, OutboxSignal signal, DispatchOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
        _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{GetType().Name}:{Guid.NewGuid():N}";
    }

    /// <summary>The dispatch clock.</summary>
    protected TimeProvider Time => _time;

    /// <summary>The outbox channels this worker serves.</summary>
    protected abstract IReadOnlyList<string> Channels { get; }

    /// <summary>Tries one delivery.</summary>
    protected abstract Task<DeliveryResult> DeliverAsync(int channel, OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Runs one pass over every channel; true when more work may be due right away.</summary>
    internal async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        bool more = false;
        for (int c = 0; c < Channels.Count; c++)
        {
            DateTimeOffset start = _time.GetUtcNow();
            List<OutboxMessage> due = _store.Claim(Channels[c], start, _options.BatchSize, _owner, start + _options.LeaseDuration);
            foreach (OutboxMessage message in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? error;
                bool permanent;
                try
                {
                    DeliveryResult result = await DeliverAsync(c, message, cancellationToken);
                    error = result.Error;
                    permanent = result.Permanent;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    error = ex.GetType().Name + ": " + ex.Message;
                    permanent = false;
                }

                DateTimeOffset now = _time.GetUtcNow();
                int attempts = message.Attempts + 1;
                string channel = AlertService.RedactChannel(message.Channel); // logs never carry a webhook's query or credentials
                if (error is null)
                {
                    _store.Complete(message.Seq, AlertStore.Delivered, attempts, now, now, null);
                    Log.Delivered(_logger, channel, message.IdempotencyKey, attempts);
                    AlertMetrics.Delivered.Add(1, AlertMetrics.Channel(message.Channel));
                    more = true; // the alert's next version is now at the head
                }
                else if (permanent || attempts >= _options.MaxAttempts)
                {
                    _store.Complete(message.Seq, AlertStore.Dead, attempts, now, now, error);
                    Log.DeadLetter(_logger, channel, message.IdempotencyKey, attempts, error);
                    AlertMetrics.DeadLetters.Add(1, AlertMetrics.Channel(message.Channel));
                    more = true;
                }
                else
                {
                    TimeSpan delay = Backoff(attempts);
                    _store.Complete(message.Seq, AlertStore.Pending, attempts, now + delay, now, error);
                    Log.Retry(_logger, channel, message.IdempotencyKey, attempts, delay, error);
                    AlertMetrics.Retries.Add(1, AlertMetrics.Channel(message.Channel));
                }
            }

            more |= due.Count == _options.BatchSize;
        }

        return more;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        Task<bool>? tick = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task wake = _signal.WaitAsync();
                bool more = false;
                try
                {
                    more = await PassAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PassFailed(_logger, ex); // the next tick retries
                }

                if (more)
                {
                    continue;
                }

                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                Task done = await Task.WhenAny(tick, wake);
                if (done == tick)
                {
                    if (!await tick)
                    {
                        break;
                    }

                    tick = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        double factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        double ticks = Math.Min(_options.BackoffMax.Ticks, _options.BackoffBase.Ticks * factor);
#pragma warning disable CA5394 // jitter needs no cryptographic randomness
        double jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(ticks * jitter));
    }
}
