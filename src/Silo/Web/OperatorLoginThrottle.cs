using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>
/// Slows password guessing without letting anyone lock an operator out. Failures are counted per client address
/// (IPv6 by /64) and per user name (known or not, so the answer does not reveal which names exist). After the free
/// attempts every further failure doubles the wait before the next try is checked (1 s, 2 s, 4 s …), up to
/// <see cref="WebPagesOptions.MaxAddressDelaySeconds"/> per address and the much shorter
/// <see cref="WebPagesOptions.MaxUserDelaySeconds"/> per user. An address that has signed in as a user before is
/// not held back by that user's delay, so an attacker hammering the duty officer's name slows only themselves.
/// Every table is bounded; counts are forgotten after <see cref="WebPagesOptions.ThrottleMemoryMinutes"/> of quiet.
/// </summary>
internal sealed class OperatorLoginThrottle : IOperatorLoginThrottle
{
    private readonly ConcurrentDictionary<string, Entry> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _trusted = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly WebPagesOptions _options;

    public OperatorLoginThrottle(IOptions<WebPagesOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
    }

    /// <summary>Addresses currently tracked (bounded by <see cref="WebPagesOptions.MaxTrackedEntries"/>).</summary>
    public int TrackedAddresses => _addresses.Count;

    /// <summary>User names currently tracked (bounded by <see cref="WebPagesOptions.MaxTrackedEntries"/>).</summary>
    public int TrackedUsers => _users.Count;

    /// <summary>The throttling key of a client address: IPv4 as is, IPv6 by its /64 prefix; "unknown" when absent.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <inheritdoc />
    public ValueTask<TimeSpan> RetryAfterAsync(string username, string address) => ValueTask.FromResult(RetryAfter(username, address));

    /// <inheritdoc />
    public ValueTask RecordFailureAsync(string username, string address)
    {
        RecordFailure(username, address);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RecordSuccessAsync(string username, string address)
    {
        RecordSuccess(username, address);
        return ValueTask.CompletedTask;
    }

    /// <summary>How long <paramref name="address"/> must wait before a try as <paramref name="username"/> is checked; zero when it may go now.</summary>
    public TimeSpan RetryAfter(string username, string address)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan wait = Wait(_addresses, address, now);
        if (!IsTrusted(username, address, now))
        {
            TimeSpan user = Wait(_users, username, now);
            if (user > wait)
            {
                wait = user;
            }
        }

        return wait;
    }

    /// <summary>Counts a failed try.</summary>
    public void RecordFailure(string username, string address)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Fail(_addresses, address, now, _options.FreeAttemptsPerAddress, TimeSpan.FromSeconds(_options.MaxAddressDelaySeconds));
        Fail(_users, username, now, _options.FreeAttemptsPerUser, TimeSpan.FromSeconds(_options.MaxUserDelaySeconds));
    }

    /// <summary>Clears both counts and remembers the address as one this user signs in from.</summary>
    public void RecordSuccess(string username, string address)
    {
        _addresses.TryRemove(address, out _);
        _users.TryRemove(username, out _);
        DateTimeOffset now = _time.GetUtcNow();
        if (_trusted.Count >= _options.MaxTrackedEntries)
        {
            foreach (KeyValuePair<string, DateTimeOffset> pair in _trusted)
            {
                if (pair.Value <= now)
                {
                    _trusted.TryRemove(pair.Key, out _);
                }
            }
        }

        if (_trusted.Count < _options.MaxTrackedEntries)
        {
            _trusted[username + "\n" + address] = now + TimeSpan.FromDays(_options.TrustedAddressDays);
        }
    }

    /// <summary>The delay after <paramref name="failures"/> failures with <paramref name="free"/> free ones: 0, then 1 s doubling up to <paramref name="max"/>.</summary>
    public static TimeSpan DelayAfter(int failures, int free, TimeSpan max)
    {
        if (failures < free)
        {
            return TimeSpan.Zero;
        }

        int doublings = Math.Min(failures - free, 30);
        TimeSpan delay = TimeSpan.FromSeconds(1L << doublings);
        return delay < max ? delay : max;
    }

    private bool IsTrusted(string username, string address, DateTimeOffset now) =>
        _trusted.TryGetValue(username + "\n" + address, out DateTimeOffset until) && until > now;

    private static TimeSpan Wait(ConcurrentDictionary<string, Entry> table, string key, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out Entry? entry))
        {
            return TimeSpan.Zero;
        }

        lock (entry)
        {
            return entry.NotBefore > now ? entry.NotBefore - now : TimeSpan.Zero;
        }
    }

    private void Fail(ConcurrentDictionary<string, Entry> table, string key, DateTimeOffset now, int free, TimeSpan max)
    {
        if (!table.TryGetValue(key, out Entry? entry))
        {
            if (table.Count >= _options.MaxTrackedEntries)
            {
                Prune(table, now);
            }

            if (table.Count >= _options.MaxTrackedEntries)
            {
                // Full of live entries (a flood of addresses or names): the newest key is not tracked; those already
                // tracked stay slowed down, and memory stays bounded.
                return;
            }

            entry = table.GetOrAdd(key, static _ => new Entry());
        }

        lock (entry)
        {
            if (now - entry.LastFailure > TimeSpan.FromMinutes(_options.ThrottleMemoryMinutes))
            {
                entry.Failures = 0;
            }

            entry.Failures++;
            entry.LastFailure = now;
            entry.NotBefore = now + DelayAfter(entry.Failures, free, max);
        }
    }

    private void Prune(ConcurrentDictionary<string, Entry> table, DateTimeOffset now)
    {
        TimeSpan memory = TimeSpan.FromMinutes(_options.ThrottleMemoryMinutes);
        foreach (KeyValuePair<string, Entry> pair in table)
        {
            bool stale;
            lock (pair.Value)
            {
                stale = pair.Value.NotBefore <= now && now - pair.Value.LastFailure > memory;
            }

            if (stale)
            {
                table.TryRemove(pair.Key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset NotBefore { get; set; }
    }
}
