namespace Resilience.Alerts.Dispatch;

/// <summary>Outcome of one delivery attempt.</summary>
/// <param name="Error">Null on success.</param>
/// <param name="Permanent">The receiver rejected the message for good: dead-letter it now.</param>
internal readonly record struct DeliveryResult(string? Error, bool Permanent = false)
{
    /// <summary>Delivered.</summary>
    public static DeliveryResult Success => default;
}
