using System.IO.Compression;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;
using Microsoft.ML;

namespace CreditRisk.Modeling.Models;

/// <summary>
/// A trained model with its signature. Saved as one zip holding the ML.NET model (featurisation and
/// trainer, so scoring applies exactly what training fitted) and signature.json; loading and scoring
/// need this library only.
/// </summary>
public sealed class CreditRiskModel
{
    private const string ModelEntry = "model.zip";
    private const string SignatureEntry = "signature.json";

    private readonly MLContext _context;
    private readonly ITransformer _transformer;
    private readonly Lock _engineLock = new();
    private PredictionEngine<ModelInputRow, ModelOutputRow>? _engine;

    public CreditRiskModel(MLContext context, ITransformer transformer, ModelSignature signature)
    {
        _context = context;
        _transformer = transformer;
        Signature = signature;
        InputSchema = new ModelInputSchema(signature.Inputs.Select(input => new FeatureColumn(input.Name, input.Kind)).ToList());
    }

    public ModelSignature Signature { get; }

    public ModelInputSchema InputSchema { get; }

    internal MLContext Context => _context;

    internal ITransformer Transformer => _transformer;

    /// <summary>The same fitted model under another signature (e.g. naming its feature service); the inputs must stay the same.</summary>
    public CreditRiskModel WithSignature(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!signature.Inputs.Select(input => (input.Name, input.Kind)).SequenceEqual(Signature.Inputs.Select(input => (input.Name, input.Kind))))
        {
            throw new ArgumentException("a new signature must keep the model's inputs, in order, with their kinds", nameof(signature));
        }
        return new CreditRiskModel(_context, _transformer, signature);
    }

    /// <summary>The saved zip as bytes.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        Save(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// The probability of the positive label for one applicant; an input absent from the dictionary or
    /// null is missing (imputed), a category never seen in training contributes nothing.
    /// </summary>
    public double Score(IReadOnlyDictionary<string, object?> inputs)
    {
        var row = InputSchema.CreateRow(Signature.Inputs.Select(input => inputs.GetValueOrDefault(input.Name)).ToList());
        lock (_engineLock)
        {
            _engine ??= _context.Model.CreatePredictionEngine<ModelInputRow, ModelOutputRow>(
                _transformer, inputSchemaDefinition: InputSchema.SchemaDefinition);
            return _engine.Predict(row).Probability;
        }
    }

    /// <summary>Probabilities for many rows of values in <see cref="Signature"/> input order, in one pass.</summary>
    public double[] ScoreMany(IEnumerable<IReadOnlyList<object?>> rows) =>
        ModelScoring.Probabilities(_transformer.Transform(
            InputSchema.ToDataView(_context, rows.Select(values => InputSchema.CreateRow(values)).ToList())));

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var model = archive.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open())
        {
            // The ML.NET model is a zip itself; stored as is.
            _context.Model.Save(_transformer, InputSchema.ToDataView(_context, []).Schema, model);
        }
        using var signature = new StreamWriter(archive.CreateEntry(SignatureEntry).Open());
        signature.Write(Signature.ToJson());
    }

    public static CreditRiskModel Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file);
    }

    public static CreditRiskModel Load(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var signatureEntry = archive.GetEntry(SignatureEntry) ?? throw new InvalidDataException($"the model file has no {SignatureEntry}");
        var modelEntry = archive.GetEntry(ModelEntry) ?? throw new InvalidDataException($"the model file has no {ModelEntry}");
        using var signatureReader = new StreamReader(signatureEntry.Open());
        var signature = ModelSignature.FromJson(signatureReader.ReadToEnd());

        var buffer = new MemoryStream();
        using (var model = modelEntry.Open())
        {
            model.CopyTo(buffer);
        }
        buffer.Position = 0;
        var context = new MLContext();
        var transformer = context.Model.Load(buffer, out _);
        return new CreditRiskModel(context, transformer, signature);
    }
}
