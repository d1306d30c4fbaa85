using CreditRisk.Contracts.Rpc;
using Google.Rpc;
using Grpc.Core;

namespace CreditRisk.Contracts.Tests;

public sealed class FieldViolationsTests
{
    [Fact]
    public void Invalid_argument_names_every_field_in_its_message_and_carries_them_as_a_bad_request()
    {
        var violations = new FieldViolations()
            .Add("rows[0].keys", "at least one entity key required")
            .Required("name", " ")
            .Required("kept", "value")
            .MaxLength("description", new string('x', 11), 10);

        var error = violations.ToRpcException();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("rows[0].keys: at least one entity key required; name: required; description: at most 10 characters (got 11)", error.Status.Detail);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        Assert.Equal(error.Status.Detail, status.Message);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["rows[0].keys", "name", "description"], badRequest.FieldViolations.Select(violation => violation.Field));
        Assert.Equal(badRequest.FieldViolations, FieldViolations.Of(error));
    }

    [Fact]
    public void The_detail_survives_the_trailer_bytes_a_client_receives()
    {
        var sent = FieldViolations.Single("items", "at most 3 items per batch (got 4)");
        var trailer = Assert.Single(sent.Trailers, entry => entry.IsBinary);

        var received = new RpcException(sent.Status, new Metadata { { trailer.Key, trailer.ValueBytes } });

        Assert.Equal(("items", "at most 3 items per batch (got 4)"), FieldViolations.Of(received).Select(violation => (violation.Field, violation.Description)).Single());
    }

    [Fact]
    public void Nothing_is_thrown_without_violations_and_other_errors_carry_none()
    {
        var none = new FieldViolations();

        none.ThrowIfAny();

        Assert.True(none.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => none.ToRpcException());
        Assert.Empty(FieldViolations.Of(new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "no run"))));
        Assert.Throws<RpcException>(() => new FieldViolations().Add("run_id", "required").ThrowIfAny());
    }
}
