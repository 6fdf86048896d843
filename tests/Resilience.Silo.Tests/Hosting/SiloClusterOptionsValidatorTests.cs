using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Storage;
using Resilience.Silo.Hosting;

namespace Resilience.Silo.Tests.Hosting;

public sealed class SiloClusterOptionsValidatorTests
{
    private static readonly StorageOptions s_postgres = new() { Provider = StorageProvider.Postgres, ConnectionString = "Host=db;Username=r;Database=r" };

    [Fact]
    public void Check_Defaults_OneBoxOnSqliteIsValid()
    {
        SiloClusterOptionsValidator.Check(new SiloClusterOptions(), new StorageOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Check_RedisClusterOnPostgres_IsValid()
    {
        var options = new SiloClusterOptions { Provider = "redis", ConnectionString = "127.0.0.1:6379", SiloPort = 11111, GatewayPort = 30000, AdvertisedAddress = "127.0.0.1" };

        SiloClusterOptionsValidator.Check(options, s_postgres).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Check_RedisClusterOnSqlite_IsRefusedWithTheFix()
    {
        var options = new SiloClusterOptions { Provider = "redis", ConnectionString = "127.0.0.1:6379" };

        ValidateOptionsResult result = SiloClusterOptionsValidator.Check(options, new StorageOptions());

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("A cluster on SQLite").And.Contain("Resilience:Storage:Provider=postgres");
    }

    [Theory]
    [InlineData("redis", null, "Resilience:Cluster:ConnectionString is empty")]
    [InlineData("zookeeper", null, "must be 'localhost' or 'redis'")]
    public void Check_BadProviderOrMissingConnectionString_IsRefused(string provider, string? connectionString, string message)
    {
        var options = new SiloClusterOptions { Provider = provider, ConnectionString = connectionString };

        SiloClusterOptionsValidator.Check(options, s_postgres).FailureMessage.Should().Contain(message);
    }

    [Theory]
    [InlineData(-1, 0, "SiloPort")]
    [InlineData(0, 70000, "GatewayPort")]
    [InlineData(11111, 11111, "must differ")]
    public void Check_BadPorts_AreRefused(int siloPort, int gatewayPort, string message)
    {
        var options = new SiloClusterOptions { SiloPort = siloPort, GatewayPort = gatewayPort };

        SiloClusterOptionsValidator.Check(options, new StorageOptions()).FailureMessage.Should().Contain(message);
    }

    [Fact]
    public void Check_HostileValues_AreRefusedOneMessageEach()
    {
        var options = new SiloClusterOptions
        {
            ClusterId = " ",
            ServiceId = string.Empty,
            AdvertisedAddress = "silo-1.example; rm -rf /",
            ProbeTimeout = TimeSpan.Zero,
            NumMissedProbesLimit = 0,
        };

        ValidateOptionsResult result = SiloClusterOptionsValidator.Check(options, new StorageOptions());

        result.Failures.Should().HaveCount(5);
        result.FailureMessage.Should().Contain("ClusterId").And.Contain("ServiceId").And.Contain("AdvertisedAddress").And.Contain("ProbeTimeout").And.Contain("NumMissedProbesLimit");
    }

    [Fact]
    public void StorageValidator_PostgresWithoutConnectionString_IsRefused()
    {
        ValidateOptionsResult result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = StorageProvider.Postgres });

        result.FailureMessage.Should().Contain("Resilience:Storage:ConnectionString is empty");
    }

    [Fact]
    public void StorageValidator_UnparsableConnectionString_IsRefused()
    {
        ValidateOptionsResult result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=db;NoSuchKeyword=1" });

        result.FailureMessage.Should().Contain("not a valid Npgsql connection string");
    }

    [Fact]
    public void Validate_FromConfiguration_ClusterOnSqliteThrowsBeforeAnythingStarts()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Cluster:Provider"] = "redis",
            ["Resilience:Cluster:ConnectionString"] = "127.0.0.1:6379",
            ["Resilience:Storage:Provider"] = "sqlite",
        }).Build();
        SiloClusterOptions cluster = configuration.GetSection(SiloClusterOptions.SectionName).Get<SiloClusterOptions>()!;
        StorageOptions storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()!;

        Action act = () => ClusterHostingExtensions.Validate(cluster, storage);

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("A cluster on SQLite");
    }

    [Fact]
    public void Bind_UnknownStorageProvider_FailsToBind()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Storage:Provider"] = "mongodb",
        }).Build();

        Action act = () => configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>();

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("mongodb");
    }
}
