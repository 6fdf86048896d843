using System.Data.Common;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Resilience.Alerts.Storage;

namespace Resilience.Silo.Web;

/// <summary>
/// ASP.NET Core's data-protection key ring in the state database (table <c>data_protection_keys</c>), so that every
/// silo of a cluster reads the cookies and antiforgery tokens every other silo issued. A key created by another silo
/// is picked up when a payload names it (the key ring is refreshed on an unknown key) or at the next periodic refresh.
/// The keys are stored as ASP.NET Core writes them (not encrypted at rest, as with its default file store on Linux):
/// the database is as sensitive as the cookies it can forge.
/// </summary>
internal sealed class StateXmlRepository : IXmlRepository
{
    private readonly StateDatabase _db;

    /// <summary>Uses <paramref name="database"/>, creating the table when it is missing.</summary>
    public StateXmlRepository(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _db.EnsureSchema("CREATE TABLE IF NOT EXISTS data_protection_keys(name TEXT PRIMARY KEY, xml TEXT NOT NULL)");
    }

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using DbConnection connection = _db.Open();
        using DbCommand command = StateDatabase.Command(connection, null, "SELECT xml FROM data_protection_keys ORDER BY name");
        var elements = new List<XElement>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using DbConnection connection = _db.Open();
        using DbCommand command = StateDatabase.Command(connection, null,
            "INSERT INTO data_protection_keys(name, xml) VALUES (@n, @x) ON CONFLICT(name) DO UPDATE SET xml = excluded.xml");
        StateDatabase.Add(command, "@n", string.IsNullOrEmpty(friendlyName) ? "key-" + Guid.NewGuid().ToString("N") : friendlyName);
        StateDatabase.Add(command, "@x", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
