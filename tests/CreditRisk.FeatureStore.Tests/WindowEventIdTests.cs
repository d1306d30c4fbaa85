namespace CreditRisk.FeatureStore.Tests;

public sealed class WindowEventIdTests
{
    [Fact]
    public void Orders_ids_as_their_text_orders_ordinally_whether_held_as_uuid_bytes_or_as_text()
    {
        var random = new Random(7);
        var ids = Enumerable.Range(0, 400).Select(_ => NewUuid(random)).ToList();
        // First groups whose sign bit differs, and the byte segments after the first dash, where a signed or
        // little-endian comparison would disagree with the text.
        ids.AddRange(["7fffffff-ffff-ffff-ffff-ffffffffffff", "80000000-0000-0000-0000-000000000000", "00000000-8000-0000-0000-000000000000",
            "00000000-7fff-0000-0000-000000000000", "00000000-0000-0000-00ff-000000000000", "00000000-0000-0000-0100-000000000000",
            "loan-42", "LOAN-42", "00000000-0000-0000-0000-00000000000A", "zz"]);

        var byKey = ids.OrderBy(WindowEventId.From, Comparer<WindowEventId>.Create(WindowEventId.CompareOrdinal)).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), byKey);
        Assert.All(ids, id => Assert.Equal(id, WindowEventId.From(id).ToString()));
    }

    [Fact]
    public void Holds_a_canonical_uuid_as_bytes_and_any_other_id_as_text()
    {
        Assert.Null(WindowEventId.From("3f2504e0-4f89-41d3-9a0c-0305e82c3301").Text);
        Assert.Equal("3F2504E0-4F89-41D3-9A0C-0305E82C3301", WindowEventId.From("3F2504E0-4F89-41D3-9A0C-0305E82C3301").Text);
        Assert.Equal("{3f2504e0-4f89-41d3-9a0c-0305e82c3301}", WindowEventId.From("{3f2504e0-4f89-41d3-9a0c-0305e82c3301}").Text);
        Assert.Equal(WindowEventId.From("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), WindowEventId.From("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
        Assert.NotEqual(WindowEventId.From("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), WindowEventId.From("3F2504E0-4F89-41D3-9A0C-0305E82C3301"));
    }

    private static string NewUuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }
}
