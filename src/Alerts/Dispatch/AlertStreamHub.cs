using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;

namespace Resilience.Alerts.Dispatch;

/// <summary>
/// Fans committed alert changes out to live SSE clients. A client too slow to keep 256 events queued is
/// disconnected (its queue completed) rather than slowing the lifecycle; it reconnects with Last-Event-ID and
/// the endpoint replays the gap from the audit trail, so nothing is lost. Admission is capped in total and per
/// client address (<see cref="AlertStreamOptions"/>), so anonymous streams cannot exhaust connections or memory.
/// Each audit sequence number goes out at most once: the silo's own commits publish at once and the cluster's
/// <see cref="AlertFeedFollower"/> publishes everyone's, so the hub remembers the last <c>4096</c> numbers it sent
/// (and treats anything below them as sent) and drops a repeat.
/// <para>
/// Numbers can reach the hub out of order (another silo's commit becomes visible after a later one), so a number
/// is not a safe place to resume from: a client that got 11 and disconnects before the late 10 arrives would resume
/// after 11 and never get 10. The hub therefore stamps each event with its settled mark: every number up to it has
/// reached the hub, or has been missing for longer than the grace window (a rolled-back transaction leaves a number
/// that never comes). Each client's queue is in publish order, so once a client has written an event, it has written
/// everything up to that event's mark; the endpoint sends the mark as the SSE id, and a resumed client gets the late
/// entry (and may get a few entries twice: the console applies an alert's versions idempotently).
/// </para>
/// </summary>
internal sealed class AlertStreamHub
{
    private const int Capacity = 256;
    private const int SeenCapacity = 4096;
    private readonly ConcurrentDictionary<long, AlertStreamSubscription> _subscribers = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();
    private readonly Lock _fanOut = new();
    private readonly SortedSet<long> _seen = [];
    private readonly int _maxClients;
    private readonly int _maxPerAddress;
    private readonly SortedDictionary<long, DateTimeOffset> _holes = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private long _nextId;
    private int _count;
    private long _seenFloor = -1;
    private long _settled = -1;
    private long _highest = -1;

    /// <summary>A hub without admission limits (tests).</summary>
    public AlertStreamHub(TimeProvider? time = null)
        : this(int.MaxValue, int.MaxValue, new AlertFeedOptions().GraceWindow, time)
    {
    }

    /// <summary>A hub with the configured limits and grace window (<see cref="AlertFeedOptions.GraceWindow"/>).</summary>
    public AlertStreamHub(IOptions<AlertsOptions> options, TimeProvider? time = null)
        : this(
            options?.Value.Stream.MaxClients ?? throw new ArgumentNullException(nameof(options)),
            options.Value.Stream.MaxClientsPerAddress,
            options.Value.Feed.GraceWindow,
            time)
    {
    }

    private AlertStreamHub(int maxClients, int maxPerAddress, TimeSpan grace, TimeProvider? time)
    {
        _maxClients = maxClients;
        _maxPerAddress = maxPerAddress;
        _grace = grace;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The settled mark now (see the class remarks); −1 before anything was published or started.</summary>
    public long Settled
    {
        get
        {
            lock (_fanOut)
            {
                return _settled;
            }
        }
    }

    /// <summary>
    /// Where the ledger stood when this silo's follower placed its cursor: every number up to <paramref name="high"/>
    /// was committed before any client here connected, except <paramref name="gaps"/> (transactions still open then),
    /// which are waited for like any late number.
    /// </summary>
    public void StartAt(long high, IEnumerable<long> gaps)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        lock (_fanOut)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_settled < 0)
            {
                _settled = high;
            }

            _highest = Math.Max(_highest, high);
            foreach (long gap in gaps)
            {
                if (gap <= high && gap > _seenFloor && !_seen.Contains(gap))
                {
                    _holes.TryAdd(gap, now);
                    _settled = Math.Min(_settled, gap - 1);
                }
            }

            Advance(now);
        }
    }

    /// <summary>Number of connected clients.</summary>
    public int Count => _subscribers.Count;

    /// <summary>Adds a client without an address (in-process readers).</summary>
    public AlertStreamSubscription Subscribe() =>
        TrySubscribe(string.Empty, out AlertStreamSubscription? subscription) == AlertStreamAdmission.Admitted
            ? subscription!
            : throw new InvalidOperationException("The alert stream is full.");

    /// <summary>Adds a client from <paramref name="address"/> when the limits allow.</summary>
    public AlertStreamAdmission TrySubscribe(string address, out AlertStreamSubscription? subscription)
    {
        ArgumentNullException.ThrowIfNull(address);
        subscription = null;
        lock (_admission)
        {
            if (_count >= _maxClients)
            {
                return AlertStreamAdmission.Full;
            }

            int mine = _perAddress.GetValueOrDefault(address);
            if (mine >= _maxPerAddress)
            {
                return AlertStreamAdmission.TooManyFromAddress;
            }

            _perAddress[address] = mine + 1;
            _count++;
        }

        subscription = new AlertStreamSubscription(this, Interlocked.Increment(ref _nextId), Capacity, address);
        _subscribers[subscription.Id] = subscription;
        return AlertStreamAdmission.Admitted;
    }

    /// <summary>Removes a client.</summary>
    public void Unsubscribe(AlertStreamSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (_subscribers.TryRemove(subscription.Id, out _))
        {
            subscription.Channel.Writer.TryComplete();
            lock (_admission)
            {
                _count--;
                int left = _perAddress.GetValueOrDefault(subscription.Address) - 1;
                if (left <= 0)
                {
                    _perAddress.Remove(subscription.Address);
                }
                else
                {
                    _perAddress[subscription.Address] = left;
                }
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="streamEvent"/> for every client, unless its sequence number was published before;
    /// false for such a repeat. Events may come out of sequence order (a commit of another silo that became
    /// visible late); clients get them in the order published.
    /// </summary>
    public bool Publish(AlertStreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        lock (_fanOut)
        {
            if (streamEvent.Seq <= _seenFloor || !_seen.Add(streamEvent.Seq))
            {
                return false;
            }

            if (_seen.Count > SeenCapacity)
            {
                _seenFloor = _seen.Min;
                _seen.Remove(_seenFloor);
            }

            DateTimeOffset now = _time.GetUtcNow();
            long seq = streamEvent.Seq;
            if (_settled < 0)
            {
                _settled = seq - 1; // the first number this hub hears of (a silo without a follower starts here)
            }

            if (seq > _highest)
            {
                for (long missing = Math.Max(Math.Max(_highest + 1, _settled + 1), seq - SeenCapacity); missing < seq; missing++)
                {
                    _holes.TryAdd(missing, now);
                    if (_holes.Count > SeenCapacity)
                    {
                        _holes.Remove(_holes.Keys.First()); // so many at once: the oldest count as given up
                    }
                }

                _highest = seq;
            }

            _holes.Remove(seq);
            Advance(now);
            streamEvent = streamEvent with { Settled = _settled };
            foreach (KeyValuePair<long, AlertStreamSubscription> pair in _subscribers)
            {
                if (!pair.Value.Channel.Writer.TryWrite(streamEvent))
                {
                    Unsubscribe(pair.Value);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Moves the settled mark over every number that is not a hole, and over holes missing for longer than the grace
    /// window. (A number below the first one heard of, or visible when the follower started, was never a hole.)
    /// </summary>
    private void Advance(DateTimeOffset now)
    {
        while (_settled < _highest)
        {
            long next = _settled + 1;
            if (_holes.TryGetValue(next, out DateTimeOffset since))
            {
                if (now - since < _grace)
                {
                    return;
                }

                _holes.Remove(next);
            }

            _settled = next;
        }
    }
}
