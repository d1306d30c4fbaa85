using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.Registry.Tests;

public sealed class ConcurrentPromotionTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_concurrent_promotions_end_in_one_consistent_state_with_both_audited()
    {
        var client = registry.Host.Admin;
        // Several rounds, each racing two promotions of the same alias from the same starting point.
        for (var round = 0; round < 10; round++)
        {
            var (model, _, _) = await Seed.ModelWithVersionsAsync(client, 3);
            await client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1, Reason = "start" }, cancellationToken: Ct);

            using var gate = new SemaphoreSlim(0, 2);
            Task<AliasMove> Promote(int version) => Task.Run(async () =>
            {
                await gate.WaitAsync(Ct);
                return await registry.Host.Client(TestApiKeys.Promoter).SetAliasAsync(
                    new SetAliasRequest { ModelName = model, Alias = "champion", Version = version, Reason = $"race to {version}" }, cancellationToken: Ct);
            }, Ct);
            var toTwo = Promote(2);
            var toThree = Promote(3);
            gate.Release(2);
            var moves = await Task.WhenAll(toTwo, toThree);

            var history = (await client.ListAliasHistoryAsync(new ListAliasHistoryRequest { ModelName = model, Alias = "champion" }, cancellationToken: Ct)).Moves;
            Assert.Equal(3, history.Count);
            // One chain: each move starts where the previous one ended; both racers are in it.
            Assert.Equal(0, history[0].FromVersion);
            for (var i = 1; i < history.Count; i++)
            {
                Assert.Equal(history[i - 1].ToVersion, history[i].FromVersion);
            }
            Assert.Equal([2, 3], history.Skip(1).Select(move => move.ToVersion).Order());
            Assert.Equal(moves.Select(move => move.EventId).Order(), history.Skip(1).Select(move => move.EventId).Order());

            var current = await client.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = model, Alias = "champion" }, cancellationToken: Ct);
            Assert.Equal(history[^1].ToVersion, current.Version);
        }
    }
}
