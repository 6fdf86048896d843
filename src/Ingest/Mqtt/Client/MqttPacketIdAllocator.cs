namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// Hands out MQTT packet identifiers (1–65535) that are not in use by an unacknowledged exchange
/// (MQTT 5.0 §2.2.1). A 64 Kibit bitmap and a rotating cursor: ids are reused as late as possible, so a
/// stale acknowledgement from a previous connection is unlikely to match a new exchange. Not thread-safe;
/// the client calls it under its session lock.
/// </summary>
internal sealed class MqttPacketIdAllocator
{
    private const int Capacity = ushort.MaxValue; // 65,535 usable ids: 0 is reserved
    private readonly ulong[] _used = new ulong[65536 / 64];
    private int _next = 1;
    private int _inUse;

    /// <summary>Ids currently allocated.</summary>
    public int InUse => _inUse;

    /// <summary>Allocates the next free id after the last one handed out; false when all 65,535 are in use.</summary>
    public bool TryAllocate(out ushort id)
    {
        id = 0;
        if (_inUse == Capacity)
        {
            return false;
        }

        int candidate = _next;
        while (IsInUse(candidate))
        {
            candidate = candidate == ushort.MaxValue ? 1 : candidate + 1;
        }

        _used[candidate >> 6] |= 1UL << (candidate & 63);
        _inUse++;
        _next = candidate == ushort.MaxValue ? 1 : candidate + 1;
        id = (ushort)candidate;
        return true;
    }

    /// <summary>Marks an id as in use (a session restored with known in-flight ids); false when it already was.</summary>
    public bool TryReserve(ushort id)
    {
        if (id == 0 || IsInUse(id))
        {
            return false;
        }

        _used[id >> 6] |= 1UL << (id & 63);
        _inUse++;
        return true;
    }

    /// <summary>Frees an id; false when it was not allocated (a duplicate or unknown acknowledgement).</summary>
    public bool Release(ushort id)
    {
        if (id == 0 || !IsInUse(id))
        {
            return false;
        }

        _used[id >> 6] &= ~(1UL << (id & 63));
        _inUse--;
        return true;
    }

    /// <summary>True when <paramref name="id"/> is allocated.</summary>
    public bool IsInUse(int id) => (_used[id >> 6] & (1UL << (id & 63))) != 0;
}
