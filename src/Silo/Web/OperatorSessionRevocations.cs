using System.Collections.Concurrent;

namespace Resilience.Silo.Web;

/// <summary>
/// Session ids of operator cookies that were signed out. The cookie handler rejects a cookie whose session id is
/// here, so a copied cookie stops working at logout. An id is kept until the cookie could have expired anyway
/// (sign-in time + the absolute session limit). In memory: one silo's logouts; a restart forgets them (documented in
/// docs/architecture.md, Security → HTTP edge).
/// </summary>
internal sealed class OperatorSessionRevocations
{
    /// <summary>The claim type of the session id.</summary>
    public const string SessionIdClaim = "resilience:sid";

    private const int PruneThreshold = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public OperatorSessionRevocations(TimeProvider time) => _time = time;

    /// <summary>Revoked ids currently remembered.</summary>
    public int Count => _revoked.Count;

    /// <summary>A fresh random session id.</summary>
    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Revokes <paramref name="sessionId"/> until <paramref name="until"/>.</summary>
    public void Revoke(string sessionId, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (_revoked.Count >= PruneThreshold)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach (KeyValuePair<string, DateTimeOffset> pair in _revoked)
            {
                if (pair.Value <= now)
                {
                    _revoked.TryRemove(pair.Key, out _);
                }
            }
        }

        _revoked[sessionId] = until;
    }

    /// <summary>True when <paramref name="sessionId"/> is missing or was revoked.</summary>
    public bool IsRevoked(string? sessionId) =>
        string.IsNullOrEmpty(sessionId) || (_revoked.TryGetValue(sessionId, out DateTimeOffset until) && until > _time.GetUtcNow());
}
