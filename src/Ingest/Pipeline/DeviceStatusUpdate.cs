namespace Resilience.Ingest.Pipeline;

/// <summary>A decoded status message.</summary>
/// <param name="SensorId">The sensor id from the topic.</param>
/// <param name="Province">The province slug from the topic.</param>
/// <param name="Status">Online or offline.</param>
/// <param name="Retained">True when the broker delivered it from its retained store.</param>
/// <param name="ReceivedAt">The receive time.</param>
public readonly record struct DeviceStatusUpdate(string SensorId, string Province, DeviceStatus Status, bool Retained, DateTimeOffset ReceivedAt);
