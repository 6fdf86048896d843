using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Cap;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Api;

/// <summary>Alerts settings (<c>Resilience:Alerts</c>).</summary>
internal sealed class AlertsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Alerts";

    /// <summary>SQLite file; default <c>&lt;Resilience:DataDirectory&gt;/alerts.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Configured rules on top of the defaults per sensor kind. Default none.</summary>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>Webhook receivers (<c>Resilience:Alerts:Webhooks:0:Url</c> …). Default none.</summary>
    [ValidateEnumeratedItems]
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>
    /// Publish alert states to <c>alerts/{province}/{subject}</c>: through the outbox to <see cref="Dispatch.IAlertMqttPublisher"/>,
    /// and, when the ledger is shared, by each silo's <see cref="AlertFeedFollower"/> to its own embedded broker. Default true.
    /// </summary>
    public bool Mqtt { get; set; } = true;

    /// <summary>Write every alert version to InfluxDB's <c>alert</c> measurement through the ingest point writer. Default true.</summary>
    public bool Influx { get; set; } = true;

    /// <summary>
    /// Authorization policy required by the write endpoints (<c>POST /api/alerts/{id}/ack</c> and <c>/resolve</c>);
    /// the host defines it (the silo: operator cookie + antiforgery header). Default <c>Operator</c>.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string WritePolicy { get; set; } = "Operator";

    /// <summary>Outbox delivery.</summary>
    [Required]
    [ValidateObjectMembers]
    public DispatchOptions Dispatch { get; set; } = new();

    /// <summary>The cluster's alert feed: how each silo follows the shared ledger (<c>Resilience:Alerts:Feed</c>).</summary>
    [Required]
    [ValidateObjectMembers]
    public AlertFeedOptions Feed { get; set; } = new();

    /// <summary>Live stream (SSE) limits.</summary>
    [Required]
    [ValidateObjectMembers]
    public AlertStreamOptions Stream { get; set; } = new();

    /// <summary>
    /// The public base URL of the silo (e.g. <c>https://ioc.danang.gov.vn</c>), used for the absolute links in CAP
    /// documents and the Atom feed. Bound from <c>Resilience:PublicBaseUrl</c>. Default empty: the silo's own
    /// listening address; the request's <c>Host</c> header is never used.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>CAP output.</summary>
    [Required]
    [ValidateObjectMembers]
    public CapOptions Cap { get; set; } = new();
}
