using System.Text;
using Resilience.Alerts.Dispatch;

namespace Resilience.Alerts.Tests.Dispatch;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_KnownVector_IsLowercaseHexHmacSha256WithPrefix()
    {
        // The widely published HMAC-SHA256 example (key "key").
        string signature = WebhookDispatcher.Sign("key", Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"));

        signature.Should().Be("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
