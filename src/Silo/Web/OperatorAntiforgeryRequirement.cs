using Microsoft.AspNetCore.Authorization;

namespace Resilience.Silo.Web;

/// <summary>Part of the <c>Operator</c> policy: unsafe HTTP methods must carry a valid antiforgery token.</summary>
internal sealed class OperatorAntiforgeryRequirement : IAuthorizationRequirement
{
}
