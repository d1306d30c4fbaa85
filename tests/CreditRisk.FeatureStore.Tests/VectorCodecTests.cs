using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore.Tests;

public sealed class VectorCodecTests
{
    [Fact]
    public void Every_kind_of_value_round_trips_and_only_wanted_features_are_decoded()
    {
        var longName = new string('n', 300);
        var values = new Dictionary<string, FeatureValue>
        {
            ["d"] = FeatureValues.Of(-0.1),
            ["nan"] = FeatureValues.Of(double.NaN),
            ["i"] = FeatureValues.Of(long.MinValue),
            ["big"] = FeatureValues.Of(long.MaxValue),
            ["s"] = FeatureValues.Of("dépôt ✓"),
            ["empty"] = FeatureValues.Of(""),
            ["b"] = FeatureValues.Of(false),
            ["null"] = FeatureValues.Null,
            [longName] = FeatureValues.Of(7L),
        };

        var blob = VectorCodec.Encode(42, values);
        var all = VectorCodec.DecodeAll(blob);

        Assert.Equal(42, VectorCodec.EventTime(blob));
        Assert.Equal(values.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.Format()}/{p.Value.KindCase}"),
            all.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.Format()}/{p.Value.KindCase}"));

        var wanted = new Dictionary<string, int> { ["s"] = 0, [longName] = 1, ["absent"] = 2, ["null"] = 3 };
        var target = new FeatureValue?[4];
        var found = VectorCodec.DecodeInto(blob, wanted.GetAlternateLookup<ReadOnlySpan<char>>(), target);

        Assert.Equal(3, found);
        Assert.Equal("dépôt ✓", target[0]!.StringValue);
        Assert.Equal(7, target[1]!.Int64Value);
        Assert.Null(target[2]);
        Assert.True(target[3]!.IsNull());
    }

    [Fact]
    public void A_computed_vector_encodes_like_its_dictionary_and_is_encoded_once_per_event_time()
    {
        var state = new CustomerFeatureState("c1", TimeSpan.FromDays(1));
        var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        state.Apply(new CustomerEvent(SourceEvent.TransactionRecorded, time.AddDays(-40), -20, "e1"));
        state.Apply(new CustomerEvent(SourceEvent.TransactionRecorded, time, 120.5, "e2"));
        var vector = state.Compute(FeatureRegistry.CustomerTransactionsV1, time);
        var asDictionary = vector.ToDictionary(pair => pair.Key, pair => pair.Value);
        var micros = FeatureTime.ToUnixMicroseconds(time);

        var encoded = VectorCodec.Encode(micros, vector);

        Assert.Equal(VectorCodec.Encode(micros, asDictionary), encoded);
        Assert.Same(encoded, VectorCodec.Encode(micros, vector));
        Assert.NotSame(encoded, VectorCodec.Encode(micros + 1, vector));
        Assert.Equal(FeatureRegistry.CustomerTransactionsV1.Features.Select(feature => feature.Name), vector.Keys);
        Assert.Equal(2, vector["txn_count_90d"].Int64Value);
        Assert.False(vector.TryGetValue("no_such_feature", out _));
    }

    [Fact]
    public void The_writer_gives_the_bytes_the_encoder_gives_for_every_kind_it_writes()
    {
        var longName = new string('w', 200);
        var view = new FeatureView("writer_check", 1, Entities.Customer, SourceEvent.TransactionRecorded,
            new[] { "d", "nan", "min", "max", "zero", "t", "f", "null", longName }
                .Select(name => FeatureDefinition.Field(name, FeatureValueType.Double, name)).ToList(), null, "");
        var values = new FeatureValue[]
        {
            FeatureValues.Of(-0.1), FeatureValues.Of(double.NaN), FeatureValues.Of(long.MinValue), FeatureValues.Of(long.MaxValue),
            FeatureValues.Of(0L), FeatureValues.Of(true), FeatureValues.Of(false), FeatureValues.Null, FeatureValues.Of(7L),
        };

        var writer = new VectorCodec.Writer(view, -5);
        writer.WriteDouble(-0.1);
        writer.WriteDouble(double.NaN);
        writer.WriteInt64(long.MinValue);
        writer.WriteInt64(long.MaxValue);
        writer.WriteInt64(0);
        writer.WriteBool(true);
        writer.WriteBool(false);
        writer.WriteNull();
        writer.WriteInt64(7);
        var written = writer.ToArray();

        Assert.Equal(VectorCodec.Encode(-5, view.Features.Select(feature => feature.Name).Zip(values).ToDictionary(pair => pair.First, pair => pair.Second)), written);
        var vector = new FeatureVector(view, -5, written);
        Assert.Equal(values.Select(value => $"{value.Format()}/{value.KindCase}"), vector.Values.Select(value => $"{value.Format()}/{value.KindCase}"));
        Assert.Same(written, VectorCodec.Encode(-5, vector));
    }

    [Fact]
    public void The_writer_refuses_an_incomplete_vector()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new VectorCodec.Writer(FeatureRegistry.CustomerTransactionsV1, 0);
            writer.WriteInt64(1);
            return writer.ToArray();
        });
    }
}
