using System.Net;
using System.Net.Sockets;

namespace Resilience.TestKit;

/// <summary>Finds a free TCP port on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>Returns a port that was free a moment ago (bind to port 0, read it back, release it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
