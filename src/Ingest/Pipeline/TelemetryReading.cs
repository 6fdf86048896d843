namespace Resilience.Ingest.Pipeline;

/// <summary>
/// One decoded telemetry reading: the device, its time and up to one value per <see cref="Quantity"/>, stored
/// inline. The decoder writes readings into a caller-provided span, so steady-state decoding allocates nothing.
/// </summary>
public struct TelemetryReading
{
    private QuantityValueSet _values;
    private int _count;
    private ushort _presentMask;

    /// <summary>The sensor id from the topic (interned).</summary>
    public string SensorId { readonly get; private set; }

    /// <summary>The province slug from the topic.</summary>
    public string Province { readonly get; private set; }

    /// <summary>The reading's time: the payload's <c>ts</c> (or SenML time), else the receive time.</summary>
    public DateTimeOffset Timestamp { readonly get; internal set; }

    /// <summary>True when <see cref="Timestamp"/> came from the payload rather than the receive time.</summary>
    public bool HasDeviceTimestamp { readonly get; internal set; }

    /// <summary>The device's sequence number, when the payload carried one.</summary>
    public long? Seq { readonly get; internal set; }

    /// <summary>How many values the reading holds (1–11 once decoded).</summary>
    public readonly int Count => _count;

    /// <summary>The <paramref name="index"/>-th value, in payload order.</summary>
    public readonly QuantityValue this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _values[index];
        }
    }

    /// <summary>Creates a reading with no values yet.</summary>
    public TelemetryReading(string sensorId, string province, DateTimeOffset timestamp)
    {
        SensorId = sensorId;
        Province = province;
        Timestamp = timestamp;
    }

    /// <summary>True when the reading holds <paramref name="quantity"/>.</summary>
    public readonly bool Contains(Quantity quantity) => (_presentMask & (1 << (int)quantity)) != 0;

    /// <summary>Gets the value of <paramref name="quantity"/> when present.</summary>
    public readonly bool TryGetValue(Quantity quantity, out double value)
    {
        if (Contains(quantity))
        {
            for (int i = 0; i < _count; i++)
            {
                if (_values[i].Quantity == quantity)
                {
                    value = _values[i].Value;
                    return true;
                }
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Adds a value; false when the quantity is already present.</summary>
    public bool TryAdd(Quantity quantity, double value)
    {
        int bit = 1 << (int)quantity;
        if ((_presentMask & bit) != 0)
        {
            return false;
        }

        _presentMask |= (ushort)bit;
        _values[_count++] = new QuantityValue(quantity, value);
        return true;
    }

    /// <summary>Clears the reading for reuse.</summary>
    internal void Reset(string sensorId, string province, DateTimeOffset timestamp)
    {
        SensorId = sensorId;
        Province = province;
        Timestamp = timestamp;
        HasDeviceTimestamp = false;
        Seq = null;
        _count = 0;
        _presentMask = 0;
    }
}
