namespace Resilience.Silo.Web;

/// <summary>The answer of GET /ops/session.</summary>
/// <param name="Username">The signed-in operator.</param>
/// <param name="AntiforgeryToken">The request token to send in <paramref name="HeaderName"/> on writes.</param>
/// <param name="HeaderName">The antiforgery header name.</param>
internal sealed record OperatorSession(string Username, string AntiforgeryToken, string HeaderName);
