namespace Resilience.Ingest.Storage;

/// <summary>The kind of an InfluxDB field value.</summary>
public enum FieldKind : byte
{
    /// <summary>64-bit float.</summary>
    Float,

    /// <summary>Signed 64-bit integer (<c>i</c> suffix).</summary>
    Integer,

    /// <summary>Unsigned 64-bit integer (<c>u</c> suffix; written as <c>i</c> to 1.x targets when it fits).</summary>
    UInteger,

    /// <summary>Boolean.</summary>
    Boolean,

    /// <summary>String.</summary>
    String,
}

/// <summary>One field of a point: a key and a typed value, without boxing.</summary>
public readonly struct FieldValue
{
    private FieldValue(string key, FieldKind kind, double f, long i, string? s)
    {
        Key = key;
        Kind = kind;
        FloatValue = f;
        IntegerBits = i;
        StringValue = s;
    }

    /// <summary>Field key.</summary>
    public string Key { get; }

    /// <summary>Value kind.</summary>
    public FieldKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Float"/>.</summary>
    public double FloatValue { get; }

    /// <summary>The raw 64 bits for integer, unsigned (reinterpret) and boolean (0/1) values.</summary>
    public long IntegerBits { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string? StringValue { get; }

    /// <summary>A float field.</summary>
    public static FieldValue Float(string key, double value) => new(key, FieldKind.Float, value, 0, null);

    /// <summary>A signed integer field.</summary>
    public static FieldValue Integer(string key, long value) => new(key, FieldKind.Integer, 0, value, null);

    /// <summary>An unsigned integer field.</summary>
    public static FieldValue UInteger(string key, ulong value) => new(key, FieldKind.UInteger, 0, unchecked((long)value), null);

    /// <summary>A boolean field.</summary>
    public static FieldValue Boolean(string key, bool value) => new(key, FieldKind.Boolean, 0, value ? 1 : 0, null);

    /// <summary>A string field.</summary>
    public static FieldValue String(string key, string value) => new(key, FieldKind.String, 0, 0, value);
}
