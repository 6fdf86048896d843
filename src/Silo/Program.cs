using Resilience.Silo.Hosting;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddSilo();
WebApplication app = builder.Build();
app.MapSilo();
await app.RunAsync();

/// <summary>Entry point; exposed for <c>WebApplicationFactory</c> in the integration tests.</summary>
public partial class Program
{
}
