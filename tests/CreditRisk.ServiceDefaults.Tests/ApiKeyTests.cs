using CreditRisk.Contracts.Rpc;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRisk.ServiceDefaults.Tests;

public sealed class ApiKeyTests
{
    private static readonly string ReaderKey = "reader-" + Guid.NewGuid().ToString("N");
    private static readonly string WriterKey = "writer-" + Guid.NewGuid().ToString("N");
    private static readonly string AdminKey = "admin-" + Guid.NewGuid().ToString("N");

    private static ApiKeyDirectory Directory(params (string Name, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ApiKeys:dashboard:Key"] = ReaderKey,
            ["ApiKeys:dashboard:Roles"] = "reader",
            ["ApiKeys:loans:Key"] = WriterKey,
            ["ApiKeys:loans:Roles:0"] = "reader",
            ["ApiKeys:loans:Roles:1"] = "Writer",
            ["ApiKeys:ops:Key"] = AdminKey,
            ["ApiKeys:ops:Roles"] = "admin",
        };
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }
        return new ApiKeyDirectory(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<ApiKeyDirectory>.Instance);
    }

    private static ApiKeyAuthorizer Authorizer() => new(Directory(), NullLogger<ApiKeyAuthorizer>.Instance);

    [Fact]
    public void Keys_are_read_with_their_roles_as_a_list_or_an_array()
    {
        var keys = Directory();
        Assert.Equal(new ApiKeyPrincipal("dashboard", ApiRole.Reader), keys.Authenticate(ReaderKey));
        Assert.Equal(new ApiKeyPrincipal("loans", ApiRole.Reader | ApiRole.Writer), keys.Authenticate(WriterKey));
        Assert.Null(keys.Authenticate("not-a-key"));
        Assert.Null(keys.Authenticate(null));
        Assert.Null(keys.Authenticate(""));
    }

    [Fact]
    public void An_entry_without_a_key_or_with_an_unknown_role_grants_nothing()
    {
        var keys = Directory(("ApiKeys:broken:Roles", "admin"), ("ApiKeys:typo:Key", "typo-key"), ("ApiKeys:typo:Roles", "superuser"));
        Assert.Equal(new ApiKeyPrincipal("typo", ApiRole.None), keys.Authenticate("typo-key"));
        Assert.False(keys.Authenticate("typo-key")!.Has(ApiRole.Reader));
    }

    [Theory]
    [InlineData(ApiRole.Reader, ApiRole.Reader, true)]
    [InlineData(ApiRole.Reader, ApiRole.Writer, false)]
    [InlineData(ApiRole.Writer, ApiRole.Reader, true)]
    [InlineData(ApiRole.Writer, ApiRole.Promoter, false)]
    [InlineData(ApiRole.Promoter, ApiRole.Reader, true)]
    [InlineData(ApiRole.Promoter, ApiRole.Writer, false)]
    [InlineData(ApiRole.Writer, ApiRole.Admin, false)]
    [InlineData(ApiRole.Admin, ApiRole.Writer, true)]
    [InlineData(ApiRole.Admin, ApiRole.Promoter, true)]
    [InlineData(ApiRole.None, ApiRole.Reader, false)]
    public void Roles_imply_reading_and_an_admin_may_do_everything(ApiRole held, ApiRole required, bool allowed) =>
        Assert.Equal(allowed, new ApiKeyPrincipal("k", held).Has(required));

    [Fact]
    public void A_missing_or_unknown_key_is_unauthenticated()
    {
        var missing = Assert.Throws<RpcException>(() => Authorizer().Authorize(null, ApiRole.Reader, "/svc.v1.Service/Get"));
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains(ApiKeyMetadata.HeaderName, missing.Status.Detail);

        var unknown = Assert.Throws<RpcException>(() => Authorizer().Authorize("not-a-key", ApiRole.Reader, "/svc.v1.Service/Get"));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
    }

    [Fact]
    public void A_missing_role_or_an_undeclared_operation_is_permission_denied()
    {
        var readerWrites = Assert.Throws<RpcException>(() => Authorizer().Authorize(ReaderKey, ApiRole.Writer, "/svc.v1.Service/Put"));
        Assert.Equal(StatusCode.PermissionDenied, readerWrites.StatusCode);
        Assert.Equal("API key 'dashboard' lacks the writer role that Put needs", readerWrites.Status.Detail);

        var undeclared = Assert.Throws<RpcException>(() => Authorizer().Authorize(AdminKey, null, "/svc.v1.Service/Hidden"));
        Assert.Equal(StatusCode.PermissionDenied, undeclared.StatusCode);
        Assert.Contains("Hidden", undeclared.Status.Detail);

        Assert.Equal("loans", Authorizer().Authorize(WriterKey, ApiRole.Writer, "/svc.v1.Service/Put").Name);
    }
}
