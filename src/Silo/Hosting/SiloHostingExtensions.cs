namespace Resilience.Silo.Hosting;

/// <summary>Composes the silo from the areas' <c>Add…</c> extensions.</summary>
internal static class SiloHostingExtensions
{
    /// <summary>Registers every service the silo runs.</summary>
    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder;
    }

    /// <summary>Maps the HTTP endpoints.</summary>
    public static WebApplication MapSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        return app;
    }
}
