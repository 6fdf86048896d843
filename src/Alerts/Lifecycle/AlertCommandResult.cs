namespace Resilience.Alerts.Lifecycle;

/// <summary>Outcome of an acknowledge or resolve command, with the alert as it is now.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Alert">The alert (null when not found).</param>
internal sealed record AlertCommandResult(AlertCommandStatus Status, AlertRecord? Alert);
