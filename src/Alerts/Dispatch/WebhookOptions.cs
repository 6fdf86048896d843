using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Dispatch;

/// <summary>One webhook receiver (<c>Resilience:Alerts:Webhooks:n</c>).</summary>
internal sealed class WebhookOptions
{
    /// <summary>Absolute http(s) URL that receives a POST per alert version. Required.</summary>
    [Required]
    [Url]
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key for the <c>X-Resilience-Signature</c> header; empty sends no signature. Default empty.</summary>
    public string Secret { get; set; } = "";
}
