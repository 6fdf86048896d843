using System.Text.Json.Serialization;

namespace Resilience.Alerts.Lifecycle;

/// <summary>Source-generated JSON (camelCase, enums as their lowercase names) for every alert payload.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(List<AlertRecord>))]
[JsonSerializable(typeof(List<AlertEvent>))]
[JsonSerializable(typeof(WebhookEnvelope))]
[JsonSerializable(typeof(AlertCommand))]
[JsonSerializable(typeof(AlertSubject))]
internal sealed partial class AlertJsonContext : JsonSerializerContext
{
}
