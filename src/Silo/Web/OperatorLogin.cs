using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Resilience.Silo.Web;

/// <summary>The operator login, logout and session endpoints of the emergency console.</summary>
internal sealed partial class OperatorLogin
{
    private readonly Dictionary<string, OperatorAccount> _accounts;

    // Verifying against this when the name is unknown keeps the answer time independent of whether the name exists:
    // it has the iteration count of the costliest configured hash (the default cost when none is configured).
    private readonly string _dummyHash;
    private readonly IOperatorLoginThrottle _throttle;
    private readonly OperatorSessionRevocations _revocations;
    private readonly TimeSpan _sessionLimit;
    private readonly TimeProvider _time;
    private readonly IAntiforgery _antiforgery;
    private readonly StaticAssetStore _store;
    private readonly ILogger<OperatorLogin> _logger;

    public OperatorLogin(
        IOptions<WebPagesOptions> options,
        IOperatorLoginThrottle throttle,
        OperatorSessionRevocations revocations,
        IAntiforgery antiforgery,
        StaticAssetStore store,
        TimeProvider time,
        ILogger<OperatorLogin> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _accounts = new Dictionary<string, OperatorAccount>(StringComparer.OrdinalIgnoreCase);
        int iterations = 0;
        foreach (OperatorAccount account in options.Value.Operators)
        {
            _accounts[account.Username] = account;
            iterations = Math.Max(iterations, OperatorPasswordHasher.IterationsOf(account.PasswordHash));
        }

        DummyIterations = iterations > 0 ? iterations : OperatorPasswordHasher.DefaultIterations;
        _dummyHash = OperatorPasswordHasher.Hash("not-a-password", DummyIterations);
        _throttle = throttle;
        _revocations = revocations;
        _sessionLimit = TimeSpan.FromHours(options.Value.SessionAbsoluteHours);
        _time = time;
        _antiforgery = antiforgery;
        _store = store;
        _logger = logger;
        if (_accounts.Count == 0)
        {
            Log.NoOperatorsConfigured(_logger, WebPagesOptions.SectionName);
        }
    }

    /// <summary>The PBKDF2 iterations of the hash an unknown name is verified against (the costliest configured one).</summary>
    public int DummyIterations { get; }

    /// <summary>GET /ops/login: the form, with a fresh antiforgery token.</summary>
    public Task ShowFormAsync(HttpContext context) => WriteFormAsync(context, StatusCodes.Status200OK, string.Empty);

    /// <summary>POST /ops/login: checks the antiforgery token, the lockout and the password, then signs in.</summary>
    public async Task SignInAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasFormContentType)
        {
            await WriteFormAsync(context, StatusCodes.Status400BadRequest, "Yêu cầu không hợp lệ. / Invalid request.");
            return;
        }

        try
        {
            await _antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            await WriteFormAsync(context, StatusCodes.Status400BadRequest, "Phiên đăng nhập hết hạn, hãy thử lại. / The form expired, please try again.");
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        string username = form["username"].ToString().Trim();
        string password = form["password"].ToString();
        if (username.Length is 0 or > 64 || password.Length is 0 or > 1024)
        {
            await WriteFormAsync(context, StatusCodes.Status401Unauthorized, "Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password.");
            return;
        }

        string address = OperatorLoginThrottle.AddressKey(context.Connection.RemoteIpAddress);
        TimeSpan wait = await _throttle.RetryAfterAsync(username, address);
        if (wait > TimeSpan.Zero)
        {
            // Known and unknown names are throttled alike, and nothing is verified, so the answer reveals nothing.
            Log.LoginThrottled(_logger, username, address, wait);
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteFormAsync(context, StatusCodes.Status429TooManyRequests, "Quá nhiều lần đăng nhập sai, hãy chờ một lát rồi thử lại. / Too many failed logins; wait a moment and try again.");
            return;
        }

        bool known = _accounts.TryGetValue(username, out OperatorAccount? account);
        bool valid = OperatorPasswordHasher.Verify(password, known ? account!.PasswordHash : _dummyHash) && known;
        if (!valid)
        {
            Log.LoginFailed(_logger, username, address);
            await _throttle.RecordFailureAsync(username, address);
            await WriteFormAsync(context, StatusCodes.Status401Unauthorized, "Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password.");
            return;
        }

        await _throttle.RecordSuccessAsync(account!.Username, address);
        DateTimeOffset now = _time.GetUtcNow();
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Username),
                new Claim(ClaimTypes.Role, OperatorAuthorization.OperatorRole),
                new Claim(OperatorSessionRevocations.SessionIdClaim, OperatorSessionRevocations.NewId()),
                new Claim(SignedInClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        Log.SignedIn(_logger, account.Username);
        context.Response.Redirect("/ops");
    }

    /// <summary>POST /ops/logout (operator policy, so the antiforgery token is checked).</summary>
    public async Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string name = context.User.Identity?.Name ?? string.Empty;
        if (context.User.FindFirst(OperatorSessionRevocations.SessionIdClaim)?.Value is { Length: > 0 } sessionId)
        {
            // The cookie itself stays valid cryptographically; revoking its id is what makes a copy useless.
            await _revocations.RevokeAsync(sessionId, SignedInAt(context.User) + _sessionLimit, context.RequestAborted);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        Log.SignedOut(_logger, name);
        context.Response.Redirect("/ops/login");
    }

    /// <summary>GET /ops/session: who is signed in and the antiforgery token for the console's writes.</summary>
    public IResult Session(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DoNotCompress(context);
        AntiforgeryTokenSet tokens = _antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new OperatorSession(context.User.Identity?.Name ?? string.Empty, tokens.RequestToken ?? string.Empty, OperatorAuthorization.AntiforgeryHeaderName));
    }

    /// <summary>
    /// The cookie check on every request (<c>OnValidatePrincipal</c>): rejects a cookie without a session id, with a
    /// revoked one, or older than <see cref="WebPagesOptions.SessionAbsoluteHours"/>.
    /// </summary>
    public async ValueTask<bool> IsSessionValidAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        if (principal is null || _time.GetUtcNow() - SignedInAt(principal) > _sessionLimit)
        {
            return false;
        }

        string? sessionId = principal.FindFirst(OperatorSessionRevocations.SessionIdClaim)?.Value;
        return !await _revocations.IsRevokedAsync(sessionId, cancellationToken);
    }

    /// <summary>The claim with the sign-in time (Unix seconds).</summary>
    public const string SignedInClaim = "resilience:signedin";

    private static DateTimeOffset SignedInAt(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(SignedInClaim)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;

    private async Task WriteFormAsync(HttpContext context, int status, string error)
    {
        DoNotCompress(context);
        if (!_store.TryGet("login.html", out StaticAsset page))
        {
            throw new InvalidOperationException("login.html is not embedded.");
        }

        AntiforgeryTokenSet tokens = _antiforgery.GetAndStoreTokens(context);
        string html = Encoding.UTF8.GetString(page.Content)
            .Replace("{{token}}", WebUtility.HtmlEncode(tokens.RequestToken ?? string.Empty), StringComparison.Ordinal)
            .Replace("{{tokenField}}", WebUtility.HtmlEncode(tokens.FormFieldName), StringComparison.Ordinal)
            .Replace("{{error}}", WebUtility.HtmlEncode(error), StringComparison.Ordinal)
            .Replace("{{errorHidden}}", error.Length == 0 ? "hidden" : string.Empty, StringComparison.Ordinal);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    // A response carrying a secret token is not compressed over HTTPS (BREACH).
    private static void DoNotCompress(HttpContext context)
    {
        if (context.Features.Get<IHttpsCompressionFeature>() is { } feature)
        {
            feature.Mode = HttpsCompressionMode.DoNotCompress;
        }
    }
}
