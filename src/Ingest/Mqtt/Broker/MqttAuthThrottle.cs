using System.Net;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Back-off after failed logins, per address and per user. After <see cref="MqttBrokerOptions.AuthFailuresBeforeBackoff"/>
/// failures each further failure doubles a wait (from <see cref="MqttBrokerOptions.AuthBackoffInitial"/> up to
/// <see cref="MqttBrokerOptions.AuthBackoffMax"/>) during which logins are refused without checking the password. A user's
/// back-off applies only to addresses that failed recently, so an attacker cannot lock a device out from elsewhere;
/// a record is forgotten after <see cref="MqttBrokerOptions.AuthBackoffMax"/> without failures. Bounded in size.
/// </summary>
internal sealed class MqttAuthThrottle
{
    private const int MaxRecords = 100_000;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Record> _addresses = [];
    private readonly Dictionary<string, Record> _users = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _threshold;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;

    public MqttAuthThrottle(MqttBrokerOptions options, TimeProvider time)
    {
        _time = time;
        _threshold = options.AuthFailuresBeforeBackoff;
        _initial = options.AuthBackoffInitial;
        _max = options.AuthBackoffMax;
    }

    /// <summary>True when a login from <paramref name="address"/> as <paramref name="userName"/> must be refused unchecked.</summary>
    public bool IsBlocked(IPAddress? address, string? userName)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            Record? byAddress = null;
            if (address is not null && _addresses.TryGetValue(address, out byAddress))
            {
                if (Expired(byAddress, now))
                {
                    _addresses.Remove(address);
                    byAddress = null;
                }
                else if (now < byAddress.BlockedUntil)
                {
                    return true;
                }
            }

            if (userName is not null && _users.TryGetValue(userName, out Record? byUser))
            {
                if (Expired(byUser, now))
                {
                    _users.Remove(userName);
                }
                else if (now < byUser.BlockedUntil && (byAddress is not null || address is null))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public void Failed(IPAddress? address, string? userName)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            if (address is not null)
            {
                Bump(_addresses, address, now);
            }

            if (userName is not null)
            {
                Bump(_users, userName, now);
            }
        }
    }

    public void Succeeded(IPAddress? address, string? userName)
    {
        lock (_lock)
        {
            if (address is not null)
            {
                _addresses.Remove(address);
            }

            if (userName is not null)
            {
                _users.Remove(userName);
            }
        }
    }

    /// <summary>Drops forgotten records (called by the broker's sweep).</summary>
    public void Prune()
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            PruneCore(_addresses, now);
            PruneCore(_users, now);
        }
    }

    private void Bump<TKey>(Dictionary<TKey, Record> records, TKey key, long now)
        where TKey : notnull
    {
        if (!records.TryGetValue(key, out Record? record) || Expired(record, now))
        {
            if (records.Count >= MaxRecords)
            {
                PruneCore(records, now);
                if (records.Count >= MaxRecords)
                {
                    return;
                }
            }

            record = new Record();
            records[key] = record;
        }

        record.Failures++;
        record.LastFailure = now;
        int over = record.Failures - _threshold;
        if (over >= 0)
        {
            double seconds = Math.Min(_initial.TotalSeconds * Math.Pow(2, Math.Min(over, 30)), _max.TotalSeconds);
            record.BlockedUntil = now + (long)(seconds * _time.TimestampFrequency);
        }
    }

    private void PruneCore<TKey>(Dictionary<TKey, Record> records, long now)
        where TKey : notnull
    {
        foreach (KeyValuePair<TKey, Record> entry in records)
        {
            if (Expired(entry.Value, now))
            {
                records.Remove(entry.Key);
            }
        }
    }

    private bool Expired(Record record, long now)
        => now >= record.BlockedUntil && _time.GetElapsedTime(record.LastFailure, now) > _max;

    private sealed class Record
    {
        public int Failures { get; set; }

        public long LastFailure { get; set; }

        public long BlockedUntil { get; set; }
    }
}
