using System.Text;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Tests.Dispatch;

public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef-webhook";
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("{\"type\":\"alert\"}");

    [Fact]
    public void Sign_KnownVector_IsLowercaseHexHmacSha256OfTimestampDotBody()
    {
        // The widely published HMAC-SHA256 example (key "key"), split as "<timestamp>.<body>": the timestamp is signed.
        string signature = WebhookDispatcher.Sign("key", 1_700_000_000, Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"));
        string expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("key"), Encoding.UTF8.GetBytes("1700000000.The quick brown fox jumps over the lazy dog")));

        signature.Should().Be(expected);
        WebhookDispatcher.Sign("key", 1_700_000_001, Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog")).Should().NotBe(expected);
    }

    [Fact]
    public void Verify_ReplayedAfterTolerance_IsRefused()
    {
        var sent = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        string timestamp = sent.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string signature = WebhookDispatcher.Sign(Secret, sent.ToUnixTimeSeconds(), s_body);

        WebhookDispatcher.Verify(Secret, timestamp, signature, s_body, sent.AddSeconds(30), TimeSpan.FromMinutes(5)).Should().BeTrue();
        WebhookDispatcher.Verify(Secret, timestamp, signature, s_body, sent.AddMinutes(6), TimeSpan.FromMinutes(5)).Should().BeFalse("an attacker replaying a captured request later is refused");
        string forgedTimestamp = sent.AddMinutes(6).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        WebhookDispatcher.Verify(Secret, forgedTimestamp, signature, s_body, sent.AddMinutes(6), TimeSpan.FromMinutes(5)).Should().BeFalse("a fresh timestamp on an old signature does not match");
        WebhookDispatcher.Verify(Secret, timestamp, signature, Encoding.UTF8.GetBytes("{\"type\":\"forged\"}"), sent, TimeSpan.FromMinutes(5)).Should().BeFalse();
        WebhookDispatcher.Verify(Secret, "not-a-number", signature, s_body, sent, TimeSpan.FromMinutes(5)).Should().BeFalse();
        WebhookDispatcher.Verify(Secret, "99999999999999999", signature, s_body, sent, TimeSpan.FromMinutes(5)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public void Options_WebhookWithoutAStrongSecret_IsRefusedWithAClearMessage(string secret)
    {
        var options = new AlertsOptions { Webhooks = [new WebhookOptions { Url = "https://receiver.example/hook", Secret = secret }] };

        ValidateOptionsResult result = new AlertsOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Secret").And.Contain("16 characters");
    }

    [Theory]
    [InlineData("webhook:https://user:p4ss@hooks.example.org:8443/alerts/in?token=SECRET#frag", "webhook:https://hooks.example.org:8443/alerts/in")]
    [InlineData("webhook:http://127.0.0.1:9/a", "webhook:http://127.0.0.1:9/a")]
    [InlineData("mqtt", "mqtt")]
    public void RedactChannel_DropsCredentialsQueryAndFragment(string channel, string expected)
    {
        string redacted = AlertService.RedactChannel(channel);

        redacted.Should().Be(expected);
        redacted.Should().NotContain("SECRET").And.NotContain("p4ss");
    }
}
