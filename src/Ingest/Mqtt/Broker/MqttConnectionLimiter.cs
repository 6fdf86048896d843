using System.Net;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>
/// Admission at accept, per remote address: at most <see cref="MqttBrokerOptions.MaxConnectionsPerAddress"/> open
/// connections, and new ones at <see cref="MqttBrokerOptions.ConnectRatePerAddress"/> per second (token bucket, bursts
/// of five seconds' worth). Entries live while an address has connections or unspent refills.
/// </summary>
internal sealed class MqttConnectionLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, State> _states = [];
    private readonly TimeProvider _time;
    private readonly int _maxPerAddress;
    private readonly double _rate;
    private readonly double _burst;

    public MqttConnectionLimiter(MqttBrokerOptions options, TimeProvider time)
    {
        _time = time;
        _maxPerAddress = options.MaxConnectionsPerAddress;
        _rate = options.ConnectRatePerAddress;
        _burst = options.ConnectRatePerAddress * 5.0;
    }

    /// <summary>Open connections from <paramref name="address"/>.</summary>
    public int ConnectionsFrom(IPAddress address)
    {
        lock (_lock)
        {
            return _states.TryGetValue(address, out State? s) ? s.Connections : 0;
        }
    }

    /// <summary>Admits a new connection (counted until <see cref="Release"/>) or says why not.</summary>
    public MqttAdmission TryAdmit(IPAddress address)
    {
        if (_maxPerAddress == 0 && _rate == 0)
        {
            return MqttAdmission.Admitted;
        }

        long now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_states.TryGetValue(address, out State? state))
            {
                state = new State { Tokens = _burst, Refilled = now };
                _states[address] = state;
            }

            if (_maxPerAddress > 0 && state.Connections >= _maxPerAddress)
            {
                return MqttAdmission.TooManyFromAddress;
            }

            if (_rate > 0)
            {
                state.Tokens = Math.Min(_burst, state.Tokens + (_time.GetElapsedTime(state.Refilled, now).TotalSeconds * _rate));
                state.Refilled = now;
                if (state.Tokens < 1)
                {
                    return MqttAdmission.RateExceeded;
                }

                state.Tokens -= 1;
            }

            state.Connections++;
            return MqttAdmission.Admitted;
        }
    }

    public void Release(IPAddress address)
    {
        if (_maxPerAddress == 0 && _rate == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_states.TryGetValue(address, out State? state))
            {
                state.Connections--;
            }
        }
    }

    /// <summary>Forgets addresses without connections whose bucket is full again (called by the broker's sweep).</summary>
    public void Prune()
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            foreach (KeyValuePair<IPAddress, State> entry in _states)
            {
                State s = entry.Value;
                if (s.Connections <= 0 && (_rate == 0 || s.Tokens + (_time.GetElapsedTime(s.Refilled, now).TotalSeconds * _rate) >= _burst))
                {
                    _states.Remove(entry.Key);
                }
            }
        }
    }

    private sealed class State
    {
        public int Connections { get; set; }

        public double Tokens { get; set; }

        public long Refilled { get; set; }
    }
}

/// <summary>The outcome of <see cref="MqttConnectionLimiter.TryAdmit"/>.</summary>
internal enum MqttAdmission
{
    Admitted,
    TooManyFromAddress,
    RateExceeded,
}
