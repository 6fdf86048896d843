using Resilience.Silo.Hosting;
using Resilience.Silo.Web;

if (args is ["hash-password", ..])
{
    // `echo 'password' | Resilience.Silo hash-password` prints an operator password hash for configuration.
    return OperatorPasswordHasher.RunHashPasswordCommand(Console.In, Console.Out, Console.Error);
}

if (args is ["device-password", ..])
{
    // `Resilience.Silo device-password <sensorId> --file <path>` adds or rotates a device's MQTT password and prints it once.
    return Resilience.Silo.Ingest.DevicePasswordCommand.Run(args, Console.Out, Console.Error);
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddSilo();
WebApplication app = builder.Build();
app.MapSilo();
await app.RunAsync();
return 0;

/// <summary>Entry point; exposed for <c>WebApplicationFactory</c> in the integration tests.</summary>
public partial class Program
{
}
