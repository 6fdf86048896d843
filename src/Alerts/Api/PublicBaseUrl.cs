using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resilience.Alerts.Api;

/// <summary>
/// The base of the absolute links in CAP documents and the Atom feed: <c>Resilience:PublicBaseUrl</c> when set,
/// otherwise the silo's first listening address (a wildcard host becomes <c>localhost</c>). Never the request's
/// <c>Host</c> header, which a client chooses: reflecting it would let anyone plant links to their own server in a
/// cached feed.
/// </summary>
internal sealed class PublicBaseUrl
{
    private readonly string? _configured;
    private readonly IServiceProvider _services;
    private string? _fromServer;

    public PublicBaseUrl(IOptions<AlertsOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? null : options.Value.PublicBaseUrl.TrimEnd('/');
        _services = services;
    }

    /// <summary>The base URL, without a trailing slash.</summary>
    public string Value => _configured ?? (_fromServer ??= FromServer());

    private string FromServer()
    {
        ICollection<string>? addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        string? first = addresses?.FirstOrDefault();
        if (first is null)
        {
            return "http://localhost";
        }

        first = first.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return first.TrimEnd('/');
    }
}
