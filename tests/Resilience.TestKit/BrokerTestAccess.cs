namespace Resilience.TestKit;

/// <summary>
/// Broker settings for tests that exercise something else than MQTT security: explicit anonymous access on the
/// loopback bind with the <c>Open</c> role, and no per-address connection limits (every test client shares
/// 127.0.0.1). The broker's security tests start from the real, closed defaults instead.
/// </summary>
public static class BrokerTestAccess
{
    /// <summary>Configuration keys and values; a test's own settings override them.</summary>
    public static IReadOnlyDictionary<string, string> OpenLoopback { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Resilience:Mqtt:Broker:AllowAnonymous"] = "true",
        ["Resilience:Mqtt:Broker:AnonymousRole"] = "Open",
        ["Resilience:Mqtt:Broker:MaxConnectionsPerAddress"] = "0",
        ["Resilience:Mqtt:Broker:ConnectRatePerAddress"] = "0",
        ["Resilience:Mqtt:Broker:MaxKeepAliveSeconds"] = "0",
    };
}
