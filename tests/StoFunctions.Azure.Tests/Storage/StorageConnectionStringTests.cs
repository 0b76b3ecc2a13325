using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Tables;

namespace StoFunctions.Azure.Tests.Storage;

public sealed class StorageConnectionStringTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void UseDevelopmentStorage_expands_to_azurite_default_endpoints()
    {
        StorageConnectionString parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential!.AccountName);
    }

    [Fact]
    public void Account_name_and_key_build_endpoints_from_protocol_and_suffix()
    {
        StorageConnectionString parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=https;AccountName=stoprod;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal(new Uri("https://stoprod.blob.core.chinacloudapi.cn"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("https://stoprod.queue.core.chinacloudapi.cn"), parsed.QueueEndpoint);
        Assert.Equal(new Uri("https://stoprod.table.core.chinacloudapi.cn"), parsed.TableEndpoint);

        StorageConnectionString defaults = StorageConnectionString.Parse($"AccountName=a1;AccountKey={Key}");
        Assert.Equal(new Uri("https://a1.table.core.windows.net"), defaults.TableEndpoint);
    }

    [Fact]
    public void Explicit_endpoints_override_and_endpoint_only_strings_have_no_credential()
    {
        StorageConnectionString parsed = StorageConnectionString.Parse(
            $"AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:5555/devstoreaccount1;");
        Assert.Equal(new Uri("http://127.0.0.1:5555/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(new Uri("https://devstoreaccount1.blob.core.windows.net"), parsed.BlobEndpoint);

        StorageConnectionString anonymous = StorageConnectionString.Parse("BlobEndpoint=https://x.blob.core.windows.net");
        Assert.Null(anonymous.Credential);
        Assert.Throws<InvalidOperationException>(() => anonymous.TableEndpoint);
        Assert.Throws<InvalidOperationException>(() => new TableClient("BlobEndpoint=https://x.blob.core.windows.net;TableEndpoint=https://x.table.core.windows.net", "tab"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("UseDevelopmentStorage=false", "must be 'true'")]
    [InlineData("AccountName=a;AccountKey=not base64!", "not valid base64")]
    [InlineData("AccountKey=YWJj", "without AccountName")]
    [InlineData("AccountName=a;AcountKey=YWJj", "unknown setting 'AcountKey'")]
    [InlineData("AccountName=a;AccountName=b", "appears twice")]
    [InlineData("AccountName=a;DefaultEndpointsProtocol=ftp", "'http' or 'https'")]
    [InlineData("TableEndpoint=127.0.0.1:10002", "not an absolute http(s) URI")]
    [InlineData("AccountName", "not 'Key=Value'")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2021", "SharedAccessSignature is not supported")]
    [InlineData("DefaultEndpointsProtocol=http", "names no account and no endpoint")]
    public void Malformed_strings_throw_format_exception_naming_the_problem(string connectionString, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_never_echo_the_account_key()
    {
        FormatException e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse($"AccountName=a;AccountKey={Key};Bogus"));
        Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
    }
}
