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

    /// <summary>
    /// Client certificates on the TLS listener: <c>None</c> (default), <c>Optional</c> or <c>Required</c>. Certificates
    /// must chain to <see cref="TlsClientCaPath"/>.
    /// </summary>
    public MqttClientCertificateMode TlsClientCertificates { get; set; } = MqttClientCertificateMode.None;

    /// <summary>PEM file of the CA certificates that sign client certificates. Default none.</summary>
    public string? TlsClientCaPath { get; set; }

    /// <summary>
    /// A valid client certificate's subject CN is the client's user name (mosquitto's <c>use_identity_as_username</c>);
    /// no password is needed then. Default false.
    /// </summary>
    public bool UseCertificateIdentity { get; set; }

    /// <summary>Concurrent connections; more are closed at accept. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Concurrent connections from one IP address (0 = no limit; raise it behind a NAT or load balancer). Default 100.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 100;

    /// <summary>New connections per second from one IP address, with bursts of five times as many (0 = no limit). Default 20.</summary>
    [Range(0, 1_000_000)]
    public int ConnectRatePerAddress { get; set; } = 20;

    /// <summary>
    /// Largest packet accepted (and advertised in a v5 CONNACK), bytes. Default 32 KiB: the ingest payload limit
    /// (16 KiB) plus room for the topic and properties.
    /// </summary>
    [Range(64, 268_435_460)]
    public int MaxPacketSize { get; set; } = 32 * 1024;

    /// <summary>QoS 1/2 messages in flight per client, both directions (v5 Receive Maximum). Default 20.</summary>
    [Range(1, 65535)]
    public int MaxInflight { get; set; } = 20;

    /// <summary>
    /// Messages queued per session (online or offline). An online client whose queue is full reads too slowly and
    /// is disconnected; an offline session drops what does not fit. Default 1,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>Payload and topic bytes queued per session (online or offline), as for <see cref="MaxQueuedMessages"/>. Default 4 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxQueuedBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Bytes queued over all sessions; past it the queues behave as full. Default 256 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxQueuedBytesTotal { get; set; } = 256L * 1024 * 1024;

    /// <summary>Retained messages kept; a new retained topic past it is not retained. Default 100,000.</summary>
    [Range(0, 100_000_000)]
    public int MaxRetainedMessages { get; set; } = 100_000;

    /// <summary>Payload and topic bytes of all retained messages, as for <see cref="MaxRetainedMessages"/>. Default 64 MiB.</summary>
    [Range(0, long.MaxValue)]
    public long MaxRetainedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Topic filters per session; a SUBSCRIBE past it gets a failure SUBACK for the extra filters. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int MaxSubscriptionsPerClient { get; set; } = 100;

    /// <summary>
    /// Largest keep-alive a client may use, seconds; 0 = no maximum. Default 600 (an idle connection with keep-alive 0
    /// would otherwise hold a connection slot for ever). Like mosquitto's <c>max_keepalive</c>: a v5 client asking for
    /// more (or for 0) is told this value as Server Keep Alive in CONNACK; a 3.1/3.1.1 client asking for more (or for 0)
    /// is refused with return code 2 (identifier rejected).
    /// </summary>
    [Range(0, 65535)]
    public int MaxKeepAliveSeconds { get; set; } = 600;

    /// <summary>
    /// Longest life of a disconnected session, seconds: a v5 client's Session Expiry Interval is capped to it, and a
    /// 3.1.1 persistent session (clean session 0) expires after it. Default 86,400 (one day).
    /// </summary>
    [Range(0, uint.MaxValue)]
    public long MaxSessionExpiry { get; set; } = 86_400;

    /// <summary>Failed logins from one address (or for one user) before each further attempt waits out a back-off. Default 5.</summary>
    [Range(1, 1_000_000)]
    public int AuthFailuresBeforeBackoff { get; set; } = 5;

    /// <summary>First back-off after <see cref="AuthFailuresBeforeBackoff"/> failures; it doubles with each further failure. Default 1 s.</summary>
    public TimeSpan AuthBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest back-off. Default 5 min.</summary>
    public TimeSpan AuthBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A connection idle for this multiple of its keep-alive is closed (spec: 1.5). Default 1.5.</summary>
    [Range(1.0, 10.0)]
    public double KeepAliveGrace { get; set; } = 1.5;

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

    /// <summary>
    /// Clients without a user name may connect, with <see cref="AnonymousRole"/>. Only allowed on a loopback
    /// <see cref="BindAddress"/>. Default false.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>What anonymous clients may do when <see cref="AllowAnonymous"/> is set. Default <c>AlertsReader</c>.</summary>
    public MqttClientRole AnonymousRole { get; set; } = MqttClientRole.AlertsReader;

    /// <summary>
    /// Roles by user name (<c>Roles:&lt;user&gt;=Gateway</c>); a user not listed is a <c>Device</c> whose user name is its
    /// sensor id. Default none.
    /// </summary>
    public IDictionary<string, MqttClientRole> Roles { get; } = new Dictionary<string, MqttClientRole>(StringComparer.Ordinal);

    /// <summary>Users with passwords (plain text, or mosquitto_passwd <c>$6$</c>/<c>$7$</c> hashes). Default none.</summary>
    public IList<MqttBrokerUserOptions> Users { get; } = new List<MqttBrokerUserOptions>();

    /// <summary>A mosquitto_passwd file (<c>user:$7$…</c> lines), read at start. Default none.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// Extra topic grants on top of each client's role (default none). <c>%u</c> and <c>%c</c> in a rule's topic become
    /// the user name and client id, like mosquitto's <c>pattern</c>. No rule lets a network client write <c>alerts/#</c>.
    /// </summary>
    public IList<MqttAclRuleOptions> Acl { get; } = new List<MqttAclRuleOptions>();
}
