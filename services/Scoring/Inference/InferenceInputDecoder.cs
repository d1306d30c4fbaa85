using System.Buffers.Binary;
using System.Text;
using CreditRisk.Contracts.Inference;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Modeling.Data;
using CreditRisk.Scoring.Models;
using Google.Protobuf;

namespace CreditRisk.Scoring.Inference;

/// <summary>
/// Turns a ModelInferRequest's named tensors (typed contents or raw_input_contents, little-endian as the protocol says)
/// into one value row per batch item in the model's input order. Every problem is collected and reported at once as
/// INVALID_ARGUMENT naming the tensor: a missing or unknown input, a datatype the input cannot take, a shape that is not
/// [N] or [N, 1], a batch size that differs between tensors, contents that do not hold N values. NaN (and an empty
/// BYTES element) is a missing value, which the model imputes; a category the model never saw is passed through and
/// scored as unseen.
/// </summary>
public static class InferenceInputDecoder
{
    public static object?[][] Decode(ModelInferRequest request, LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        var violations = new FieldViolations();
        var inputs = model.Features.Inputs;
        var useRaw = request.RawInputContents.Count > 0;
        if (useRaw && request.RawInputContents.Count != request.Inputs.Count)
        {
            violations.Add("raw_input_contents", $"{request.RawInputContents.Count} raw contents for {request.Inputs.Count} input tensors; there must be one per input");
            violations.ThrowIfAny();
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            positions[inputs[i].Name] = i;
        }
        var tensors = new ModelInferRequest.Types.InferInputTensor?[inputs.Count];
        var raws = new ByteString?[inputs.Count];
        for (var t = 0; t < request.Inputs.Count; t++)
        {
            var tensor = request.Inputs[t];
            if (!positions.TryGetValue(tensor.Name, out var position))
            {
                violations.Add(Field(tensor.Name), $"model {model} has no input named '{tensor.Name}'");
            }
            else if (tensors[position] is not null)
            {
                violations.Add(Field(tensor.Name), "the input tensor is given twice");
            }
            else
            {
                tensors[position] = tensor;
                raws[position] = useRaw ? request.RawInputContents[t] : null;
            }
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            if (tensors[i] is null)
            {
                violations.Add(Field(inputs[i].Name), $"the input tensor is missing ({InferenceDatatypes.Of(inputs[i])}, shape [N, 1])");
            }
        }
        violations.ThrowIfAny();

        long? batch = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var tensor = tensors[i]!;
            var field = Field(tensor.Name);
            if (!InferenceDatatypes.Accepted(inputs[i]).Contains(tensor.Datatype))
            {
                violations.Add(field, $"datatype '{tensor.Datatype}' is not accepted for this {(inputs[i].Kind == ColumnKind.Categorical ? "categorical" : "numeric")} input (expected {string.Join(" or ", InferenceDatatypes.Accepted(inputs[i]))})");
            }
            if (tensor.Shape.Count is < 1 or > 2 || tensor.Shape[0] < 0 || (tensor.Shape.Count == 2 && tensor.Shape[1] != 1))
            {
                violations.Add(field, $"shape [{string.Join(", ", tensor.Shape)}] is not [N] or [N, 1]");
            }
            else if (batch is null)
            {
                batch = tensor.Shape[0];
            }
            else if (tensor.Shape[0] != batch)
            {
                violations.Add(field, $"batch size {tensor.Shape[0]} differs from the other inputs' {batch}");
            }
        }
        violations.ThrowIfAny();
        if (batch is 0 or null)
        {
            throw FieldViolations.Single("inputs", "the batch is empty: at least one row is required");
        }

        var rows = new object?[batch.Value][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new object?[inputs.Count];
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            var tensor = tensors[i]!;
            var values = raws[i] is { } raw ? FromRaw(tensor.Datatype, raw) : FromContents(tensor);
            if (values is null)
            {
                violations.Add(Field(tensor.Name), $"the raw contents are not a whole number of {tensor.Datatype} elements");
                continue;
            }
            if (values.Count != rows.Length)
            {
                violations.Add(Field(tensor.Name), $"{values.Count} {tensor.Datatype} values for a batch of {rows.Length}{(raws[i] is null ? $" (the contents' {ContentsField(tensor.Datatype)})" : "")}");
                continue;
            }
            for (var r = 0; r < rows.Length; r++)
            {
                rows[r][i] = values[r];
            }
        }
        violations.ThrowIfAny();
        return rows;
    }

    private static string Field(string tensor) => $"inputs[{tensor}]";

    private static string ContentsField(string datatype) => datatype switch
    {
        InferenceDatatypes.Fp32 => "fp32_contents",
        InferenceDatatypes.Fp64 => "fp64_contents",
        InferenceDatatypes.Int64 => "int64_contents",
        _ => "bytes_contents",
    };

    private static IReadOnlyList<object?> FromContents(ModelInferRequest.Types.InferInputTensor tensor)
    {
        var contents = tensor.Contents ?? new InferTensorContents();
        return tensor.Datatype switch
        {
            InferenceDatatypes.Fp32 => [.. contents.Fp32Contents.Select(value => Number(value))],
            InferenceDatatypes.Fp64 => [.. contents.Fp64Contents.Select(Number)],
            InferenceDatatypes.Int64 => [.. contents.Int64Contents.Select(value => (object?)(double)value)],
            _ => [.. contents.BytesContents.Select(Text)],
        };
    }

    /// <summary>Raw contents: fixed-size little-endian elements, or for BYTES each element prefixed by its 4-byte little-endian length.</summary>
    private static List<object?>? FromRaw(string datatype, ByteString raw)
    {
        var bytes = raw.Span;
        var values = new List<object?>();
        switch (datatype)
        {
            case InferenceDatatypes.Fp32:
                if (bytes.Length % 4 != 0) return null;
                for (var at = 0; at < bytes.Length; at += 4) values.Add(Number(BinaryPrimitives.ReadSingleLittleEndian(bytes[at..])));
                return values;
            case InferenceDatatypes.Fp64:
                if (bytes.Length % 8 != 0) return null;
                for (var at = 0; at < bytes.Length; at += 8) values.Add(Number(BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..])));
                return values;
            case InferenceDatatypes.Int64:
                if (bytes.Length % 8 != 0) return null;
                for (var at = 0; at < bytes.Length; at += 8) values.Add((double)BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]));
                return values;
            default:
                var position = 0;
                while (position < bytes.Length)
                {
                    if (bytes.Length - position < 4) return null;
                    var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[position..]);
                    position += 4;
                    if (length > bytes.Length - position) return null;
                    values.Add(Text(bytes.Slice(position, (int)length)));
                    position += (int)length;
                }
                return values;
        }
    }

    private static object? Number(double value) => double.IsNaN(value) ? null : value;

    private static object? Text(ByteString value) => Text(value.Span);

    private static object? Text(ReadOnlySpan<byte> value) => value.Length == 0 ? null : Encoding.UTF8.GetString(value);
}
