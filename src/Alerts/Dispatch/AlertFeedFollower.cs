using System.Data.Common;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Storage;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Every silo of a cluster tails the shared ledger's audit trail (<c>alert_events</c>, whose <c>seq</c> is the SSE
/// event id) every <see cref="AlertFeedOptions.PollInterval"/>, and when this silo commits a change:
/// <list type="bullet">
/// <item>each entry goes to this silo's <see cref="AlertStreamHub"/> (SSE), which drops the ones this silo already
/// published at commit, so every silo's console sees every silo's changes, each sequence number once;</item>
/// <item>each alert change (not notices) is published, retained, on this silo's own embedded broker
/// (<see cref="ILocalAlertBroker"/>) at <c>alerts/{province}/{subject}</c>, unless the topic already carries a newer
/// state: a later version of the same alert, or a later change (higher seq) of another rule of the subject.</item>
/// </list>
/// At start it republishes every open alert's state on the embedded broker (oldest change first, so each topic ends on
/// its subject's latest change), which <see cref="RetainedAlertRepublisher"/> does on a single box. Sequence numbers
/// become visible out of order across silos; <see cref="AlertFeedCursor"/> keeps looking for the missing ones for
/// <see cref="AlertFeedOptions.GraceWindow"/>. Runs only when the ledger is shared (PostgreSQL).
/// </summary>
internal sealed partial class AlertFeedFollower : BackgroundService
{
    private const int StartLookback = 1024;
    private const int GapQueryLimit = 256;
    private readonly AlertStore _store;
    private readonly AlertStreamHub _hub;
    private readonly OutboxSignal _signal;
    private readonly ILocalAlertBroker? _broker;
    private readonly AlertFeedOptions _options;
    private readonly bool _active;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertFeedFollower> _logger;
    private readonly Dictionary<string, RetainedState> _retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingRetained> _unpublished = new(StringComparer.Ordinal);
    private AlertFeedCursor? _cursor;
    private long _delivered;

    /// <summary>Creates the follower; the last registered <see cref="ILocalAlertBroker"/> is this silo's broker (none: SSE only).</summary>
    public AlertFeedFollower(
        AlertStore store,
        AlertStreamHub hub,
        OutboxSignal signal,
        IEnumerable<ILocalAlertBroker> brokers,
        IOptions<AlertsOptions> options,
        TimeProvider time,
        ILogger<AlertFeedFollower> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _hub = hub;
        _signal = signal;
        foreach (ILocalAlertBroker candidate in brokers ?? [])
        {
            _broker = candidate;
        }

        _options = options.Value.Feed;
        _active = Runs(store.Database, options.Value);
        if (!options.Value.Mqtt)
        {
            _broker = null;
        }

        _time = time;
        _logger = logger;
    }

    /// <summary>True when a follower runs over <paramref name="database"/>: the ledger is shared and the feed is enabled.</summary>
    public static bool Runs(StateDatabase database, AlertsOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        return database.Provider == StorageProvider.Postgres && options.Feed.Enabled;
    }

    /// <summary>True once the cursor is placed: every change committed from then on is followed.</summary>
    public bool Following => Volatile.Read(ref _cursor) is not null;

    /// <summary>Audit entries this follower has taken from the ledger (each once).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_active)
        {
            return;
        }

        await Task.Yield(); // the first reads must not hold up the host's start
        try
        {
            while (!await TryStartAsync(stoppingToken))
            {
                await Task.Delay(_options.PollInterval * 5, _time, stoppingToken);
            }

            using var timer = new PeriodicTimer(_options.PollInterval, _time);
            Task<bool>? tick = null;
            while (!stoppingToken.IsCancellationRequested)
            {
                Task wake = _signal.WaitAsync(); // a commit of this silo: its broker gets it without waiting for the tick
                bool more = false;
                try
                {
                    more = await PollAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PollFailed(_logger, ex); // the next tick retries from the same cursor
                }

                if (more)
                {
                    continue;
                }

                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(tick, wake) == tick)
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

    /// <summary>Places the cursor at the ledger's end and republishes open alerts on the embedded broker.</summary>
    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        List<(AlertRecord Alert, long Seq)> open;
        AlertFeedCursor cursor;
        try
        {
            await using DbConnection connection = await _store.Database.OpenAsync(cancellationToken);
            long high = AlertStore.MaxEventSeq(connection);
            long scannedAfter = Math.Max(0, high - StartLookback);
            List<long> visible = AlertStore.EventSeqs(connection, scannedAfter, high);
            cursor = new AlertFeedCursor(high, scannedAfter, visible, _time.GetUtcNow(), _options.GraceWindow);
            open = _broker is null ? [] : AlertStore.OpenWithLastSeq(connection);
            Volatile.Write(ref _cursor, cursor);
            _hub.StartAt(cursor.High, cursor.Gaps(int.MaxValue));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.PollFailed(_logger, ex);
            return false;
        }

        foreach ((AlertRecord alert, long seq) in open)
        {
            await PublishRetainedAsync(alert, seq, AlertStore.Serialize(alert.ForPublic()), cancellationToken);
        }

        Log.Started(_logger, cursor.High, cursor.GapCount, open.Count);
        return true;
    }

    /// <summary>One read of the ledger; true when a full batch came back (more may be waiting).</summary>
    internal async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        AlertFeedCursor cursor = _cursor ?? throw new InvalidOperationException("The feed has not started.");
        List<AlertEvent> found;
        await using (DbConnection connection = await _store.Database.OpenAsync(cancellationToken))
        {
            found = AlertStore.Events(connection, null, cursor.High, _options.BatchSize);
            List<long> gaps = cursor.Gaps(GapQueryLimit);
            if (gaps.Count > 0)
            {
                found.AddRange(AlertStore.EventsBySeq(connection, gaps));
            }
        }

        bool more = found.Count >= _options.BatchSize;
        found.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        DateTimeOffset now = _time.GetUtcNow();
        foreach (AlertEvent entry in found)
        {
            if (!cursor.Accept(entry.Seq, now))
            {
                continue;
            }

            Interlocked.Increment(ref _delivered);
            bool notice = string.Equals(entry.Action, "notice", StringComparison.Ordinal);
            string publicJson = AlertStore.Serialize(entry.Alert.ForPublic());
            _hub.Publish(new AlertStreamEvent(entry.Seq, notice ? "notice" : "alert", AlertStore.Serialize(entry.Alert), publicJson));
            if (!notice && _broker is not null)
            {
                await PublishRetainedAsync(entry.Alert, entry.Seq, publicJson, cancellationToken);
            }
        }

        int expired = cursor.Expire(now);
        if (expired > 0)
        {
            Log.GapsGivenUp(_logger, expired, cursor.High);
        }

        if (_unpublished.Count > 0)
        {
            foreach (PendingRetained pending in _unpublished.Values.ToArray())
            {
                _unpublished.Remove($"alerts/{pending.Alert.Province}/{pending.Alert.Subject}");
                await PublishRetainedAsync(pending.Alert, pending.State.Seq, pending.PublicJson, cancellationToken);
            }
        }

        return more;
    }

    private async Task PublishRetainedAsync(AlertRecord alert, long seq, string publicJson, CancellationToken cancellationToken)
    {
        if (_broker is null)
        {
            return;
        }

        string topic = $"alerts/{alert.Province}/{alert.Subject}";
        if ((_unpublished.TryGetValue(topic, out PendingRetained? waiting) && !waiting.State.IsOlderThan(alert.Id, alert.Version, seq))
            || (_retained.TryGetValue(topic, out RetainedState current) && !current.IsOlderThan(alert.Id, alert.Version, seq)))
        {
            Log.StaleSkipped(_logger, topic, alert.Id, alert.Version);
            return;
        }

        var state = new RetainedState(alert.Id, alert.Version, seq);
        try
        {
            await _broker.PublishRetainedAsync(topic, Encoding.UTF8.GetBytes(publicJson), cancellationToken);
            _retained[topic] = state;
            _unpublished.Remove(topic); // whatever waited there is older than this
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _unpublished[topic] = new PendingRetained(alert, state, publicJson); // the next poll tries again
            Log.PublishFailed(_logger, topic, alert.Id, alert.Version, ex);
        }
    }

    /// <summary>What a retained topic of the embedded broker carries now.</summary>
    private readonly record struct RetainedState(long AlertId, int Version, long Seq)
    {
        /// <summary>
        /// True when a change (alert, version, seq) is newer than this state: a later version of the same alert, or
        /// a later change of another alert of the subject (versions of one alert commit in seq order: the alert row
        /// is locked while its entry is numbered).
        /// </summary>
        public bool IsOlderThan(long alertId, int version, long seq) => alertId == AlertId ? version > Version : seq > Seq;
    }

    private sealed record PendingRetained(AlertRecord Alert, RetainedState State, string PublicJson);
}
