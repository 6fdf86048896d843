namespace Resilience.Silo.Web;

/// <summary>
/// Names of the operator authorization policy and claims. Put <c>.RequireAuthorization(OperatorAuthorization.PolicyName)</c>
/// on every endpoint that changes alert state: it needs the operator cookie and, on unsafe methods, the antiforgery
/// token in the <see cref="AntiforgeryHeaderName"/> header (the console sends it).
/// </summary>
public static class OperatorAuthorization
{
    /// <summary>The policy name: <c>Operator</c>.</summary>
    public const string PolicyName = "Operator";

    /// <summary>The role claim every signed-in operator carries.</summary>
    public const string OperatorRole = "operator";

    /// <summary>The header carrying the antiforgery request token on JSON writes.</summary>
    public const string AntiforgeryHeaderName = "X-CSRF-TOKEN";

    /// <summary>The operator session cookie.</summary>
    public const string CookieName = "resilience.ops";

    /// <summary>The antiforgery cookie.</summary>
    public const string AntiforgeryCookieName = "resilience.csrf";
}
