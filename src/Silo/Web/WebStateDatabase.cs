using Resilience.Alerts.Storage;

namespace Resilience.Silo.Web;

/// <summary>
/// The relational store of the web edge: revoked operator sessions and the data-protection key ring (which signs and
/// encrypts the operator cookie and the antiforgery tokens). <c>&lt;DataDirectory&gt;/web.db</c> on one box; the
/// cluster's shared PostgreSQL (<c>Resilience:Storage</c>) otherwise, so a cookie issued by one silo is read by every
/// silo, and a logout on one silo is refused by all.
/// </summary>
internal sealed class WebStateDatabase : IDisposable
{
    /// <summary>Wraps <paramref name="database"/> (disposed with this).</summary>
    public WebStateDatabase(StateDatabase database) => Database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>The database.</summary>
    public StateDatabase Database { get; }

    /// <inheritdoc />
    public void Dispose() => Database.Dispose();
}
