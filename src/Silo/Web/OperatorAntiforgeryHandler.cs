using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;

namespace Resilience.Silo.Web;

/// <summary>
/// Checks the antiforgery token for POST/PUT/PATCH/DELETE under the <c>Operator</c> policy, so that the alert API's
/// writes get CSRF protection from the one policy name (SameSite=Strict cookies are the first line; this the second).
/// </summary>
internal sealed partial class OperatorAntiforgeryHandler : AuthorizationHandler<OperatorAntiforgeryRequirement>
{
    private readonly IAntiforgery _antiforgery;
    private readonly ILogger<OperatorAntiforgeryHandler> _logger;

    public OperatorAntiforgeryHandler(IAntiforgery antiforgery, ILogger<OperatorAntiforgeryHandler> logger)
    {
        _antiforgery = antiforgery;
        _logger = logger;
    }

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorAntiforgeryRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        HttpContext? http = context.Resource as HttpContext;
        if (http is null)
        {
            // Not an HTTP request (e.g. a policy evaluated in code): nothing to forge.
            context.Succeed(requirement);
            return;
        }

        string method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            context.Succeed(requirement);
            return;
        }

        if (await _antiforgery.IsRequestValidAsync(http))
        {
            context.Succeed(requirement);
            return;
        }

        Log.AntiforgeryRejected(_logger, method, http.Request.Path.Value ?? string.Empty);
        context.Fail(new AuthorizationFailureReason(this, "Missing or invalid antiforgery token."));
    }
}
