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
    // Verifying against this when the name is unknown keeps the answer time independent of whether the name exists.
    private static readonly string s_dummyHash = OperatorPasswordHasher.Hash("not-a-password", OperatorPasswordHasher.MinimumIterations);

    private readonly Dictionary<string, OperatorAccount> _accounts;
    private readonly OperatorLoginThrottle _throttle;
    private readonly IAntiforgery _antiforgery;
    private readonly StaticAssetStore _store;
    private readonly ILogger<OperatorLogin> _logger;

    public OperatorLogin(IOptions<WebPagesOptions> options, OperatorLoginThrottle throttle, IAntiforgery antiforgery, StaticAssetStore store, ILogger<OperatorLogin> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _accounts = new Dictionary<string, OperatorAccount>(StringComparer.OrdinalIgnoreCase);
        foreach (OperatorAccount account in options.Value.Operators)
        {
            _accounts[account.Username] = account;
        }

        _throttle = throttle;
        _antiforgery = antiforgery;
        _store = store;
        _logger = logger;
        if (_accounts.Count == 0)
        {
            Log.NoOperatorsConfigured(_logger, WebPagesOptions.SectionName);
        }
    }

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

        if (_accounts.ContainsKey(username) && _throttle.IsLockedOut(username))
        {
            Log.LoginWhileLockedOut(_logger, username);
            await WriteFormAsync(context, StatusCodes.Status429TooManyRequests, "Tài khoản tạm khóa do nhập sai nhiều lần. / Account locked after too many failed logins; try again later.");
            return;
        }

        bool known = _accounts.TryGetValue(username, out OperatorAccount? account);
        bool valid = OperatorPasswordHasher.Verify(password, known ? account!.PasswordHash : s_dummyHash) && known;
        if (!valid)
        {
            Log.LoginFailed(_logger, username);
            if (known && _throttle.RecordFailure(username))
            {
                Log.LockedOut(_logger, username);
            }

            await WriteFormAsync(context, StatusCodes.Status401Unauthorized, "Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password.");
            return;
        }

        _throttle.RecordSuccess(username);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, account!.Username), new Claim(ClaimTypes.Role, OperatorAuthorization.OperatorRole)],
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
