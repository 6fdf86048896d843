using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Silo;

/// <summary>The real silo in process (WebApplicationFactory) with a temp data directory and a free broker port.</summary>
// Any type of the silo assembly names it (the LoadGenerator has a Program class too).
internal sealed class SiloFactory : WebApplicationFactory<Resilience.Silo.Hosting.SiloOptions>
{
    public SiloFactory(string dataDirectory)
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Resilience:DataDirectory", DataDirectory);
        builder.UseSetting("Resilience:Mqtt:Broker:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Resilience:Influx:Url", string.Empty);
        builder.UseSetting("Resilience:Registry:Watch", "false");
        foreach ((string key, string value) in BrokerTestAccess.OpenLoopback.Concat(SiloProcess.OrleansPorts()))
        {
            builder.UseSetting(key, value);
        }
    }
}
