using System.ComponentModel.DataAnnotations;

namespace Resilience.Ingest.Mqtt.Broker;

/// <summary>The embedded MQTT broker (<c>Resilience:Mqtt:Broker</c>).</summary>
public sealed class MqttBrokerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Mqtt:Broker";

    /// <summary>Runs the broker. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TCP port. Default 1883; 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Address to bind. Default 127.0.0.1; "0.0.0.0" or "::" for all interfaces.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>PKCS#12 (.pfx) server certificate; TLS is on when set. Default none.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/>. Default none.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Concurrent connections; more are closed at accept. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Largest packet accepted (and advertised in a v5 CONNACK), bytes. Default 1 MiB.</summary>
    [Range(64, 268_435_460)]
    public int MaxPacketSize { get; set; } = 1_048_576;

    /// <summary>QoS 1/2 messages in flight per client, both directions (v5 Receive Maximum). Default 20.</summary>
    [Range(1, 65535)]
    public int MaxInflight { get; set; } = 20;

    /// <summary>Messages queued per session (online or offline) before new ones are dropped. Default 1,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>A connection idle for this multiple of its keep-alive is closed (spec: 1.5). Default 1.5.</summary>
    [Range(1.0, 10.0)]
    public double KeepAliveGrace { get; set; } = 1.5;

    /// <summary>
    /// Largest keep-alive a client may use, seconds; 0 = no maximum (the default). Like mosquitto's
    /// <c>max_keepalive</c>: a v5 client asking for more (or for 0) is told this value as Server Keep Alive in
    /// CONNACK; a 3.1/3.1.1 client asking for more (or for 0) is refused with return code 2 (identifier rejected).
    /// </summary>
    [Range(0, 65535)]
    public int MaxKeepAliveSeconds { get; set; }

    /// <summary>
    /// Puts <see cref="MaxPacketSize"/> in the v5 CONNACK as Maximum Packet Size. Default true. When false the limit
    /// still applies but is not announced (mosquitto announces it only when <c>max_packet_size</c> is set).
    /// </summary>
    public bool AdvertiseMaximumPacketSize { get; set; } = true;

    /// <summary>Time allowed between TCP accept and CONNECT. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Topic aliases accepted per v5 connection (inbound). Default 10.</summary>
    [Range(0, 65535)]
    public int MaxTopicAliases { get; set; } = 10;

    /// <summary>Clients without a user name may connect. Default true.</summary>
    public bool AllowAnonymous { get; set; } = true;

    /// <summary>Users with passwords (plain text, or mosquitto_passwd <c>$6$</c>/<c>$7$</c> hashes). Default none.</summary>
    public IList<MqttBrokerUserOptions> Users { get; } = new List<MqttBrokerUserOptions>();

    /// <summary>A mosquitto_passwd file (<c>user:$7$…</c> lines), read at start. Default none.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// Topic access rules. Empty (the default) allows everything; otherwise anything no rule grants is denied.
    /// <c>%u</c> and <c>%c</c> in a rule's topic become the user name and client id, like mosquitto's <c>pattern</c>.
    /// </summary>
    public IList<MqttAclRuleOptions> Acl { get; } = new List<MqttAclRuleOptions>();
}
