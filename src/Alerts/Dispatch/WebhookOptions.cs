using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Dispatch;

/// <summary>One webhook receiver (<c>Resilience:Alerts:Webhooks:n</c>).</summary>
internal sealed class WebhookOptions
{
    /// <summary>Absolute http(s) URL that receives a POST per alert version. Required.</summary>
    [Required]
    [Url]
    public string Url { get; set; } = "";

    /// <summary>
    /// HMAC-SHA256 key for the <c>X-Resilience-Signature</c> header, at least 16 characters. Required: an unsigned
    /// alert could be forged by anyone who can reach the receiver, so the silo refuses to start without it.
    /// </summary>
    [Required(ErrorMessage = "Secret is required: receivers verify X-Resilience-Signature with it (at least 16 characters; e.g. `openssl rand -hex 32`).")]
    [MinLength(16, ErrorMessage = "Secret must have at least 16 characters (e.g. `openssl rand -hex 32`).")]
    public string Secret { get; set; } = "";
}
