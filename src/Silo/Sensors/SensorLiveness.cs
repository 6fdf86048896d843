using Resilience.Silo.Registry;

namespace Resilience.Silo.Sensors;

/// <summary>
/// When each registered sensor was last heard from, in flat arrays indexed by registry ordinal (9 bytes per
/// sensor), and one sweep that marks a sensor offline after 3× its reporting interval without data. This
/// replaces a timer per grain: 1,000,000 sensors cost 9 MB and a sweep of a few milliseconds, and a sensor
/// that never reports is marked offline without activating its grain.
/// </summary>
internal sealed class SensorLiveness
{
    /// <summary>Sensor state in the table.</summary>
    public const byte Unknown = 0;

    /// <summary>Data seen within 3× the reporting interval.</summary>
    public const byte Online = 1;

    /// <summary>Silent for 3× the reporting interval, or reported <c>offline</c> on its status topic.</summary>
    public const byte Offline = 2;

    private readonly TimeProvider _time;
    private Table _table;

    public SensorLiveness(RegistryProvider registry, TimeProvider time)
    {
        _time = time;
        _table = new Table(registry.Current, time.GetUtcNow().ToUnixTimeMilliseconds(), null);
        registry.Changed += (_, next) => Rebuild(next);
    }

    /// <summary>Records data from <paramref name="sensor"/> at <paramref name="nowMs"/>.</summary>
    public void Touch(SensorInfo sensor, long nowMs)
    {
        Table t = Volatile.Read(ref _table);
        int i = t.IndexOf(sensor);
        if (i >= 0)
        {
            Volatile.Write(ref t.LastSeen[i], nowMs);
            t.State[i] = Online;
        }
    }

    /// <summary>Applies a device's retained status message (<c>online</c>/<c>offline</c>).</summary>
    public void SetStatus(SensorInfo sensor, bool online, long nowMs)
    {
        Table t = Volatile.Read(ref _table);
        int i = t.IndexOf(sensor);
        if (i >= 0)
        {
            if (online)
            {
                Volatile.Write(ref t.LastSeen[i], nowMs);
            }

            t.State[i] = online ? Online : Offline;
        }
    }

    /// <summary>The state and last-seen time (Unix ms, 0 = never) of a sensor.</summary>
    public (byte State, long LastSeenMs) Get(SensorInfo sensor)
    {
        Table t = Volatile.Read(ref _table);
        int i = t.IndexOf(sensor);
        return i < 0 ? (Unknown, 0) : (t.State[i], Math.Max(0, Volatile.Read(ref t.LastSeen[i])));
    }

    /// <summary>Marks silent sensors offline; returns how many went offline in this pass.</summary>
    public int Sweep()
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Table t = Volatile.Read(ref _table);
        IReadOnlyList<SensorInfo> sensors = t.Registry.Sensors;
        int wentOffline = 0;
        for (int i = 0; i < t.State.Length; i++)
        {
            // Never-seen sensors hold -start (negative), so the silence counts from the start.
            long silentFor = now - Math.Abs(Volatile.Read(ref t.LastSeen[i]));
            if (silentFor > sensors[i].ReportingIntervalSeconds * 3000L && t.State[i] != Offline)
            {
                t.State[i] = Offline;
                wentOffline++;
            }
        }

        return wentOffline;
    }

    private void Rebuild(SensorRegistry next)
    {
        Table old = Volatile.Read(ref _table);
        Volatile.Write(ref _table, new Table(next, _time.GetUtcNow().ToUnixTimeMilliseconds(), old));
    }

    private sealed class Table
    {
        public Table(SensorRegistry registry, long startMs, Table? previous)
        {
            Registry = registry;
            int n = registry.Sensors.Count;
            LastSeen = new long[n];
            State = new byte[n];
            for (int i = 0; i < n; i++)
            {
                LastSeen[i] = -startMs;
                if (previous is not null && previous.Registry.SensorsById.TryGetValue(registry.Sensors[i].Id, out SensorInfo? before))
                {
                    LastSeen[i] = previous.LastSeen[before.Ordinal];
                    State[i] = previous.State[before.Ordinal];
                }
            }
        }

        public SensorRegistry Registry { get; }

        public long[] LastSeen { get; }

        public byte[] State { get; }

        public int IndexOf(SensorInfo sensor)
        {
            IReadOnlyList<SensorInfo> list = Registry.Sensors;
            int i = sensor.Ordinal;
            if ((uint)i < (uint)list.Count && ReferenceEquals(list[i], sensor))
            {
                return i;
            }

            return Registry.SensorsById.TryGetValue(sensor.Id, out SensorInfo? current) ? current.Ordinal : -1;
        }
    }
}
