using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>
/// Locks a configured operator account for <see cref="WebPagesOptions.LockoutSeconds"/> after
/// <see cref="WebPagesOptions.MaxFailedLogins"/> failures in a row. Only configured names are tracked,
/// so guessing unknown names cannot grow the table.
/// </summary>
internal sealed class OperatorLoginThrottle
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly int _maxFailures;
    private readonly TimeSpan _lockout;

    public OperatorLoginThrottle(IOptions<WebPagesOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _maxFailures = options.Value.MaxFailedLogins;
        _lockout = TimeSpan.FromSeconds(options.Value.LockoutSeconds);
    }

    /// <summary>True while <paramref name="username"/> is locked out.</summary>
    public bool IsLockedOut(string username)
    {
        return _entries.TryGetValue(username, out Entry? entry) && entry.LockedUntil > _time.GetUtcNow();
    }

    /// <summary>Counts a failure; returns true when this failure locked the account.</summary>
    public bool RecordFailure(string username)
    {
        Entry entry = _entries.GetOrAdd(username, static _ => new Entry());
        lock (entry)
        {
            entry.Failures++;
            if (entry.Failures >= _maxFailures)
            {
                entry.Failures = 0;
                entry.LockedUntil = _time.GetUtcNow() + _lockout;
                return true;
            }

            return false;
        }
    }

    /// <summary>Clears the failure count after a successful login.</summary>
    public void RecordSuccess(string username) => _entries.TryRemove(username, out _);

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
