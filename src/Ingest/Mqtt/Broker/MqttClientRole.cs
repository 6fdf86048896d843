namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>What a network client may do; the broker's built-in ACL. Nothing but the silo itself writes <c>alerts/#</c>.</summary>
public enum MqttClientRole
{
    /// <summary>
    /// A sensor whose user name is its sensor id: publishes <c>sensors/{province}/{id}/telemetry</c> and <c>…/status</c>
    /// (province from the registry), subscribes to <c>sensors/{province}/{id}/command</c> only.
    /// </summary>
    Device = 0,

    /// <summary>Publishes telemetry and status for any sensor (<c>sensors/+/+/telemetry|status</c>): field gateways, simulators.</summary>
    Gateway = 1,

    /// <summary>Subscribes to <c>alerts/#</c>; publishes nothing.</summary>
    AlertsReader = 2,

    /// <summary>Subscribes to <c>sensors/#</c> and <c>alerts/#</c>; publishes nothing.</summary>
    Operations = 3,

    /// <summary>Subscribes to anything and publishes anywhere except <c>alerts/#</c> (development, interoperability suites).</summary>
    Open = 4,
}
