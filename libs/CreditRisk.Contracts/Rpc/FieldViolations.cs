using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace CreditRisk.Contracts.Rpc;

/// <summary>
/// Collects every bad field of a request, so that one INVALID_ARGUMENT names them all: in its message
/// ("a.b: must be > 0; c: required") for people and logs, and as a google.rpc.BadRequest detail (gRPC's rich error
/// model, the grpc-status-details-bin trailer) for programs.
/// </summary>
public sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _items = [];

    public IReadOnlyList<BadRequest.Types.FieldViolation> Items => _items;

    public int Count => _items.Count;

    public bool IsEmpty => _items.Count == 0;

    public FieldViolations Add(string field, string description)
    {
        _items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        return this;
    }

    /// <summary>"required" when <paramref name="value"/> is missing or blank.</summary>
    public FieldViolations Required(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Add(field, "required") : this;

    public FieldViolations MaxLength(string field, string? value, int max) =>
        value is not null && value.Length > max ? Add(field, $"at most {max} characters (got {value.Length})") : this;

    /// <summary>Every violation as "field: description", separated by "; ".</summary>
    public override string ToString() => string.Join("; ", _items.Select(violation => $"{violation.Field}: {violation.Description}"));

    /// <summary>INVALID_ARGUMENT whose message names every field and whose details carry them as a google.rpc.BadRequest.</summary>
    public RpcException ToRpcException()
    {
        if (IsEmpty)
        {
            throw new InvalidOperationException("No field violations to report.");
        }
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(_items);
        return new RpcStatus
        {
            Code = (int)Code.InvalidArgument,
            Message = ToString(),
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        }.ToRpcException();
    }

    /// <summary>Throws <see cref="ToRpcException"/> when any field is bad.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw ToRpcException();
        }
    }

    /// <summary>INVALID_ARGUMENT for one bad field.</summary>
    public static RpcException Single(string field, string description) => new FieldViolations().Add(field, description).ToRpcException();

    /// <summary>The field violations an error carries; empty when it carries none.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Of(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
}
