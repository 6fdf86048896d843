namespace Resilience.Ingest.Pipeline;

/// <summary>A parsed device topic: <c>sensors/{Province}/{SensorId}/{Kind}</c>.</summary>
public readonly record struct DeviceTopic(TopicKind Kind, string Province, string SensorId);
